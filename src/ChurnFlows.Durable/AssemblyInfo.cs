using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("ChurnFlows.Durable.Tests")]
[assembly: InternalsVisibleTo("ChurnFlows.Benchmarks")]

using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("ChurnFlows.Functions.Tests")]
[assembly: InternalsVisibleTo("ChurnFlows.Benchmarks")]

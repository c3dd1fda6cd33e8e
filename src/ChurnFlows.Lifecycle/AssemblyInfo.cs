using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("ChurnFlows.Lifecycle.Tests")]
[assembly: InternalsVisibleTo("ChurnFlows.Benchmarks")]

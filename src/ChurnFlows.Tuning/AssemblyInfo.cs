using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("ChurnFlows.Tuning.Tests")]
[assembly: InternalsVisibleTo("ChurnFlows.Benchmarks")]

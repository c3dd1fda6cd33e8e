using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("ChurnFlows.ML.Tests")]
[assembly: InternalsVisibleTo("ChurnFlows.Benchmarks")]

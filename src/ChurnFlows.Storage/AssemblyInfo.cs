using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("ChurnFlows.Storage.Tests")]
[assembly: InternalsVisibleTo("ChurnFlows.Benchmarks")]

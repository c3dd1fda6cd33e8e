using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("ChurnFlows.Durable.AzureStorage.Tests")]
[assembly: InternalsVisibleTo("ChurnFlows.Benchmarks")]

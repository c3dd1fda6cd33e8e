using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("ChurnFlows.Durable.AzureStorage.Tests")]
[assembly: InternalsVisibleTo("ChurnFlows.Durable.AzureStorage.TestWorker")]
[assembly: InternalsVisibleTo("ChurnFlows.Benchmarks")]

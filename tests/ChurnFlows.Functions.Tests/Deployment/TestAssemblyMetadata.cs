using System.Reflection;

namespace ChurnFlows.Functions.Tests.Deployment;

/// <summary>Values the test project's build writes into the test assembly (see its .csproj).</summary>
internal static class TestAssemblyMetadata
{
    /// <summary>Gets the repository's root folder.</summary>
    public static string RepositoryRoot => Get("RepositoryRoot");

    /// <summary>Gets the value stored under <paramref name="key"/>.</summary>
    public static string Get(string key) =>
        typeof(TestAssemblyMetadata).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"The test assembly has no {key}.");
}

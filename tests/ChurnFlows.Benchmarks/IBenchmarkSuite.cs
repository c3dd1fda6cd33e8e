namespace ChurnFlows.Benchmarks;

/// <summary>
/// One side-by-side benchmark suite. Suites are discovered by reflection, so adding a suite is
/// adding a file: <c>dotnet run -c Release --project tests/ChurnFlows.Benchmarks -- NAME [args]</c>.
/// </summary>
public interface IBenchmarkSuite
{
    /// <summary>Gets the name used on the command line, e.g. <c>durable-inmemory</c>.</summary>
    string Name { get; }

    /// <summary>Gets a one-line description shown by <c>list</c>.</summary>
    string Description { get; }

    /// <summary>Runs the suite and prints its figures (a markdown table) to standard output.</summary>
    Task<int> RunAsync(string[] args);
}

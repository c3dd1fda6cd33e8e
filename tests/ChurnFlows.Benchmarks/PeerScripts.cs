namespace ChurnFlows.Benchmarks;

/// <summary>Finds the peer scripts (shared/peers beside the repository) and the sample CSVs the suites share.</summary>
internal static class PeerScripts
{
    /// <summary>Gets the folder holding the peer scripts.</summary>
    public static string Folder { get; } = Find();

    /// <summary>Returns the path of a peer script.</summary>
    public static string Path(string script) => System.IO.Path.Combine(Folder, script);

    /// <summary>Returns a synthetic churn CSV of <paramref name="rows"/> rows (seed 42), writing it on first use.</summary>
    public static string SampleCsv(int rows)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"churnflows-sample-{rows}.csv");
        if (!File.Exists(path))
        {
            ML.Synthetic.SyntheticChurnGenerator.WriteCsvFile(path, new() { Rows = rows, Seed = 42 });
        }

        return path;
    }

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "shared", "peers");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return Environment.GetEnvironmentVariable("CHURNFLOWS_PEERS") ?? "shared/peers";
    }
}

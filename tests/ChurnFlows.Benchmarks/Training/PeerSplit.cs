using System.Text.Json;
using ChurnFlows.ML.Features;

namespace ChurnFlows.Benchmarks.Training;

/// <summary>The peer script's own train/validation/test rows of a CSV (scikit-learn's stratified 70/15/15, seed 42), so both sides score the same test rows.</summary>
internal static class PeerSplit
{
    private const string Script = """
        import json, runpy, sys
        peer = runpy.run_path(sys.argv[1], run_name="peer")
        _, _, train, valid, test = peer["load_and_split"](sys.argv[2])
        print(json.dumps({"train": train.tolist(), "valid": valid.tolist(), "test": test.tolist()}))
        """;

    /// <summary>Asks the peer script (baselines.py) how it splits <paramref name="csv"/>.</summary>
    public static async Task<DatasetSplit> RowsAsync(string csv)
    {
        using var doc = JsonDocument.Parse(await Python.RunAsync(["-c", Script, PeerScripts.Path("baselines.py"), csv]));
        int[] Rows(string name) => [.. doc.RootElement.GetProperty(name).EnumerateArray().Select(e => e.GetInt32())];
        return new DatasetSplit(Rows("train"), Rows("valid"), Rows("test"));
    }
}

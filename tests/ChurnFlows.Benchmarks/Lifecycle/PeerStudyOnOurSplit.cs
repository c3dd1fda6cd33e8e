using System.Text.Json;
using ChurnFlows.Benchmarks.Training;
using ChurnFlows.Lifecycle;

namespace ChurnFlows.Benchmarks.Lifecycle;

/// <summary>
/// Runs the peer's Optuna + XGBoost study (its own preprocessing and <c>run_optuna</c>, unchanged) on the
/// train/validation/test rows our retrain wrote to <c>churn-gold</c>, so both sides report ROC-AUC on the
/// same test rows.
/// </summary>
internal static class PeerStudyOnOurSplit
{
    private const string Script = """
        import json, runpy, sys
        peer = runpy.run_path(sys.argv[1], run_name="peer")
        X, y, *_ = peer["load_and_split"](sys.argv[2])
        with open(sys.argv[3]) as f:
            split = json.load(f)
        i_tr, i_va, i_te = (split[k] for k in ("train", "valid", "test"))
        assert len(i_tr) + len(i_va) + len(i_te) == len(y), "the split must cover every CSV row"
        prep = peer["Prep"]().fit(X.iloc[i_tr])
        Xtr, Xva, Xte = (prep.transform(X.iloc[i]) for i in (i_tr, i_va, i_te))
        rec = peer["run_optuna"]((Xtr, y[i_tr], Xva, y[i_va], Xte, y[i_te]), int(sys.argv[4]), pruner="median")
        print(json.dumps(peer["rnd"]({"kind": "model", **rec})))
        """;

    /// <summary>Reads the gold split of our run and runs the peer's study on it.</summary>
    public static async Task<JsonElement> RunAsync(LifecycleServices lifecycle, string csv, int trials)
    {
        var golds = await lifecycle.Containers.Gold.GetBlobsAsync().ToListAsync();
        var only = golds.Count == 1 ? golds[0].Name : throw new InvalidOperationException($"Expected one gold dataset, found {golds.Count}.");
        var gold = await lifecycle.Gold.LoadAsync(only);
        var splitFile = Path.Combine(Path.GetTempPath(), $"churnflows-split-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(splitFile, JsonSerializer.Serialize(new { train = gold.Train.Rows, valid = gold.Validation.Rows, test = gold.Test.Rows }));
        try
        {
            var output = await Python.RunAsync(["-c", Script, PeerBaselines.Script, csv, splitFile, trials.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            using var doc = JsonDocument.Parse(output.Trim().Split('\n')[^1]);
            return doc.RootElement.Clone();
        }
        finally
        {
            File.Delete(splitFile);
        }
    }
}

using System.Globalization;

namespace ChurnFlows.Benchmarks.Serving;

/// <summary>
/// The peer's serving stack (FastAPI + uvicorn + XGBoost booster, <c>serve_fastapi.py</c>) measured by
/// its own <c>bench_serve.sh</c>: the model is trained by <c>baselines.py</c> on the same CSV first.
/// </summary>
internal static class PeerServing
{
    /// <summary>Trains the peer's XGBoost model on <paramref name="csv"/> and returns its path.</summary>
    public static async Task<string> TrainAsync(string csv)
    {
        var folder = Path.Combine(Path.GetTempPath(), "churnflows-peers");
        Directory.CreateDirectory(folder);
        var model = Path.Combine(folder, "xgb.json");
        await LoadTools.RunAsync("/usr/bin/python3", [PeerScripts.Path("baselines.py"), csv, "--models", "xgb", "--repeats", "1", "--save-xgb", model]);
        return model;
    }

    /// <summary>Runs <c>bench_serve.sh</c> (check, 3 s warm-up, 20 s of wrk) with the given uvicorn arguments.</summary>
    public static async Task<WrkResult> BenchAsync(string model, string label, params string[] uvicornArguments)
    {
        var environment = new Dictionary<string, string>
        {
            ["MODEL"] = model,
            ["PREDICT_MODE"] = "booster",
            ["PORT"] = ServedApp.FreeLoopbackPort().ToString(CultureInfo.InvariantCulture),
            ["LOGDIR"] = Path.GetDirectoryName(model)!,
        };
        var output = await LoadTools.RunAsync("bash", [PeerScripts.Path("bench_serve.sh"), label, .. uvicornArguments], environment);
        if (!output.Contains("churn_probability", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"The peer's check request did not return a prediction:{Environment.NewLine}{output}");
        }

        return WrkResult.Parse(output) ?? throw new InvalidOperationException($"bench_serve.sh printed no summary line:{Environment.NewLine}{output}");
    }
}

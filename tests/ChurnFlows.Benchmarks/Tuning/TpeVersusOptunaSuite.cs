using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ChurnFlows.Tuning.Objectives;
using ChurnFlows.Tuning.Pruners;
using ChurnFlows.Tuning.Samplers;
using ChurnFlows.Tuning.Studies;

namespace ChurnFlows.Benchmarks.Tuning;

/// <summary>
/// Our TPE against Optuna's TPE (Debian python3-optuna, run as a subprocess in the same run) on
/// Branin, Hartmann-6, Rosenbrock-4 and Levy-6: median best-found regret after 100 trials over 30 seeds,
/// and sampler time per suggestion with 1,000 completed trials. Usage: <c>tuning-functions [--seeds N] [--trials N]</c>.
/// </summary>
public sealed class TpeVersusOptunaSuite : IBenchmarkSuite
{
    private const string OptunaOverhead = """
        import optuna, time, random
        optuna.logging.set_verbosity(optuna.logging.WARNING)
        dist = {f"x{i}": optuna.distributions.FloatDistribution(0.0, 1.0) for i in range(6)}
        rnd = random.Random(0)
        study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=0))
        study.add_trials([optuna.trial.create_trial(params={k: rnd.random() for k in dist}, distributions=dist, value=rnd.random()) for _ in range(1000)])
        t0 = time.perf_counter()
        for _ in range(20):
            t = study.ask(dist)
            study.tell(t, rnd.random())
        print((time.perf_counter() - t0) / 20 * 1000)
        """;

    /// <inheritdoc />
    public string Name => "tuning-functions";

    /// <inheritdoc />
    public string Description => "TPE vs Optuna TPE: median regret on 4 test functions (30 seeds x 100 trials), ms per suggestion at 1,000 trials";

    /// <inheritdoc />
    public async Task<int> RunAsync(string[] args)
    {
        var seeds = Option(args, "--seeds", 30);
        var trials = Option(args, "--trials", 100);
        var peer = RunOptunaAsync(seeds, trials);
        var ours = StandardFunctions.All.ToDictionary(f => f.Name, f => Enumerable.Range(0, seeds).Select(s => Regret(f, s, trials)).ToList());
        var theirs = await peer;
        var (ourMs, optunaMs) = (OurOverheadMs(), await OptunaOverheadMsAsync());

        Console.WriteLine($"TPE vs Optuna {DateTime.UtcNow:yyyy-MM-dd}: {seeds} seeds x {trials} trials, median regret (lower is better)");
        Console.WriteLine();
        Console.WriteLine("| function | ChurnFlows TPE | Optuna 3.1 TPE | ours / Optuna | ours better? |");
        Console.WriteLine("|---|---:|---:|---:|---|");
        var wins = 0;
        foreach (var f in StandardFunctions.All)
        {
            var a = Median(ours[f.Name]);
            var b = Median(theirs[f.Name]);
            wins += a <= b ? 1 : 0;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {f.Name} | {a:G4} | {b:G4} | {a / b:F2} | {(a <= b ? "yes" : "no")} |"));
        }

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Equal or better on {wins} of 4 functions. Sampler time per suggestion (6 float params, 1,000 completed trials): ours {ourMs:F2} ms, Optuna {optunaMs:F1} ms ({optunaMs / ourMs:F0}x faster)."));
        return 0;
    }

    private static double Regret(StandardFunction f, int seed, int trials)
    {
        var study = Study.Create(seed: seed, sampler: new TpeSampler(), pruner: new NopPruner());
        study.Optimize(f.Objective, trials);
        return study.BestValue - f.Optimum;
    }

    private static double OurOverheadMs()
    {
        var study = Study.Create(seed: 0, pruner: new NopPruner());
        var space = Enumerable.Range(0, 6).ToDictionary(i => $"x{i}", _ => (ParameterDistribution)new FloatDistribution(0, 1));
        var random = new Random(0);
        foreach (var t in Enumerable.Range(0, 1000).Select(_ => study.Ask()))
        {
            foreach (var (name, d) in space)
            {
                t.Frozen.Params[name] = random.NextDouble();
                t.Frozen.Distributions[name] = d;
            }

            study.Tell(t.Number, random.NextDouble());
        }

        var sw = Stopwatch.StartNew();
        for (var i = 0; i < 20; i++)
        {
            var trial = study.AskBatch(1, space)[0];
            study.Tell(trial.Number, random.NextDouble());
        }

        return sw.Elapsed.TotalMilliseconds / 20;
    }

    private static async Task<double> OptunaOverheadMsAsync()
    {
        var output = await Python.RunAsync(["-c", OptunaOverhead]);
        return double.Parse(output.Trim(), CultureInfo.InvariantCulture);
    }

    private static async Task<Dictionary<string, List<double>>> RunOptunaAsync(int seeds, int trials)
    {
        var output = await Python.RunAsync([PeerScripts.Path("optuna_functions.py"), "--seeds", $"{seeds}", "--trials", $"{trials}"]);
        var result = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var doc = JsonDocument.Parse(line);
            var name = doc.RootElement.GetProperty("function").GetString()!;
            var regret = doc.RootElement.GetProperty("regret").GetProperty($"{trials}").GetDouble();
            if (!result.TryGetValue(name, out var list))
            {
                result[name] = list = [];
            }

            list.Add(regret);
        }

        return result;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return (sorted[(sorted.Length - 1) / 2] + sorted[sorted.Length / 2]) / 2;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}

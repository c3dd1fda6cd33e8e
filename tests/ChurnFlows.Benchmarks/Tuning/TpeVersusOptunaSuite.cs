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
/// with a two-sided Mann-Whitney U test per function (the medians of 30 seeds move by ±30% between seed sets),
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
    public string Description => "TPE vs Optuna TPE: median regret on 4 test functions (100 seeds x 100 trials, rank-sum test), ms per suggestion at 1,000 trials";

    /// <inheritdoc />
    public async Task<int> RunAsync(string[] args)
    {
        var seeds = Option(args, "--seeds", 100);
        var trials = Option(args, "--trials", 100);
        var peer = RunOptunaAsync(seeds, trials);
        var ours = StandardFunctions.All.ToDictionary(f => f.Name, f => Enumerable.Range(0, seeds).Select(s => Regret(f, s, trials)).ToList());
        var theirs = await peer;
        var (ourMs, optunaMs) = (OurOverheadMs(), await OptunaOverheadMsAsync());

        Console.WriteLine($"TPE vs Optuna {DateTime.UtcNow:yyyy-MM-dd}: {seeds} seeds x {trials} trials, median regret (lower is better)");
        Console.WriteLine();
        Console.WriteLine("| function | ChurnFlows TPE | Optuna 3.1 TPE | ours / Optuna | p (Mann-Whitney) | verdict |");
        Console.WriteLine("|---|---:|---:|---:|---:|---|");
        var wins = 0;
        foreach (var f in StandardFunctions.All)
        {
            var a = Median(ours[f.Name]);
            var b = Median(theirs[f.Name]);
            var p = RankSumP(ours[f.Name], theirs[f.Name]);
            var verdict = p >= 0.05 ? "equal (no significant difference)" : a < b ? "better" : "worse";
            wins += verdict == "worse" ? 0 : 1;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {f.Name} | {a:G4} | {b:G4} | {a / b:F2} | {p:F2} | {verdict} |"));
        }

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Equal or better on {wins} of 4 functions (two-sided p < 0.05 counts as a difference). Sampler time per suggestion (6 float params, 1,000 completed trials): ours {ourMs:F2} ms, Optuna {optunaMs:F1} ms ({optunaMs / ourMs:F0}x faster)."));
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

        // Ten untimed suggestions first: the timing is per suggestion in steady state, after JIT compilation.
        for (var i = 0; i < 10; i++)
        {
            study.Tell(study.AskBatch(1, space)[0].Number, random.NextDouble());
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

    /// <summary>Two-sided p-value of the Mann-Whitney U test (normal approximation, average ranks for ties).</summary>
    private static double RankSumP(List<double> a, List<double> b)
    {
        var all = a.Select(v => (v, first: true)).Concat(b.Select(v => (v, first: false))).OrderBy(x => x.v).ToArray();
        var rankSum = 0.0;
        for (var i = 0; i < all.Length;)
        {
            var j = i;
            while (j < all.Length && all[j].v == all[i].v)
            {
                j++;
            }

            rankSum += all[i..j].Count(x => x.first) * ((i + j + 1) / 2.0);
            i = j;
        }

        double n1 = a.Count, n2 = b.Count;
        var z = (rankSum - (n1 * (n1 + 1) / 2) - (n1 * n2 / 2)) / Math.Sqrt(n1 * n2 * (n1 + n2 + 1) / 12);
        return 2 * NormalMath.Cdf(-Math.Abs(z));
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

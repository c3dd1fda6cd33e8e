using ChurnFlows.Tuning.Pruners;
using ChurnFlows.Tuning.Samplers;

namespace ChurnFlows.Tuning.Studies;

/// <summary>
/// An optimization study with Optuna's semantics: ask for trials (define-by-run or a fixed space,
/// singly or in parallel batches), report intermediate values, prune, tell results. All state lives
/// in <see cref="State"/>, so a study can be saved, loaded elsewhere and continued. Thread-safe.
/// </summary>
public sealed class Study
{
    private static readonly ISampler FallbackSampler = new RandomSampler();
    private readonly object _gate = new();

    /// <summary>Wraps an existing state (e.g. loaded from storage).</summary>
    public Study(StudyState state, ISampler? sampler = null, IPruner? pruner = null)
    {
        State = state ?? throw new ArgumentNullException(nameof(state));
        Sampler = sampler ?? new TpeSampler();
        Pruner = pruner ?? new MedianPruner();
    }

    /// <summary>Gets the state.</summary>
    public StudyState State { get; }

    /// <summary>Gets the sampler.</summary>
    public ISampler Sampler { get; }

    /// <summary>Gets the pruner.</summary>
    public IPruner Pruner { get; }

    /// <summary>Creates a new empty study.</summary>
    public static Study Create(StudyDirection direction = StudyDirection.Minimize, int seed = 0, ISampler? sampler = null, IPruner? pruner = null, string name = "study") =>
        new(new StudyState { Name = name, Direction = direction, Seed = seed }, sampler, pruner);

    /// <summary>Gets the best completed trial.</summary>
    /// <exception cref="InvalidOperationException">No trial has completed.</exception>
    public FrozenTrial BestTrial
    {
        get
        {
            lock (_gate)
            {
                FrozenTrial? best = null;
                foreach (var t in State.Trials.Where(t => t.State == TrialState.Complete && t.Value is not null))
                {
                    if (best is null || State.IsBetter(t.Value!.Value, best.Value!.Value))
                    {
                        best = t;
                    }
                }

                return best ?? throw new InvalidOperationException("No trial has completed yet.");
            }
        }
    }

    /// <summary>Gets the best value.</summary>
    public double BestValue => BestTrial.Value!.Value;

    /// <summary>Gets the best parameters as the objective saw them.</summary>
    public IReadOnlyDictionary<string, object> BestParams => BestTrial.ExternalParams;

    /// <summary>Starts a define-by-run trial: parameters are sampled when the objective suggests them.</summary>
    public Trial Ask()
    {
        lock (_gate)
        {
            var frozen = new FrozenTrial { Number = State.Trials.Count, State = TrialState.Running, Started = DateTimeOffset.UtcNow };
            State.Trials.Add(frozen);
            return new Trial(this, frozen);
        }
    }

    /// <summary>
    /// Starts <paramref name="count"/> trials over a fixed space at once (for parallel workers). Each is
    /// sampled with the earlier ones running (constant liar), and none repeats another trial's parameters
    /// while the space has unused points (after 20 repeating proposals a random point is taken).
    /// </summary>
    public IReadOnlyList<Trial> AskBatch(int count, IReadOnlyDictionary<string, ParameterDistribution> space)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentNullException.ThrowIfNull(space);
        var trials = new List<Trial>(count);
        lock (_gate)
        {
            for (var i = 0; i < count; i++)
            {
                var trial = Ask();
                var frozen = trial.Frozen;
                for (var attempt = 0; ; attempt++)
                {
                    var probe = attempt == 0 ? frozen : frozen with { Number = frozen.Number + (1_000_003 * attempt) };
                    // After 20 model proposals that all repeat a trial, fall back to random points.
                    var values = attempt < 20 ? Sampler.SampleRelative(State, probe, space) : FallbackSampler.SampleRelative(State, probe, space);
                    if (attempt >= 120 || !State.Trials.Any(t => t != frozen && space.Keys.All(k => t.Params.TryGetValue(k, out var v) && v == values[k])))
                    {
                        foreach (var (name, distribution) in space)
                        {
                            frozen.Distributions[name] = distribution;
                            frozen.Params[name] = values[name];
                        }

                        break;
                    }
                }

                trials.Add(trial);
            }
        }

        return trials;
    }

    /// <summary>Gets a handle on an existing trial (e.g. one asked by another process).</summary>
    public Trial GetTrial(int number)
    {
        lock (_gate)
        {
            return new Trial(this, Find(number));
        }
    }

    /// <summary>Finishes a trial with its value.</summary>
    /// <exception cref="InvalidOperationException">The trial already finished.</exception>
    public void Tell(int number, double value)
    {
        lock (_gate)
        {
            var t = Running(number);
            t.Value = value;
            t.State = double.IsNaN(value) ? TrialState.Fail : TrialState.Complete;
            t.Completed = DateTimeOffset.UtcNow;
        }
    }

    /// <summary>Finishes a trial as pruned or failed.</summary>
    public void Tell(int number, TrialState state)
    {
        if (state is not (TrialState.Pruned or TrialState.Fail))
        {
            throw new ArgumentException("Tell a state only for Pruned or Fail; a completed trial needs its value.", nameof(state));
        }

        lock (_gate)
        {
            var t = Running(number);
            t.State = state;
            t.Completed = DateTimeOffset.UtcNow;
        }
    }

    /// <summary>Runs <paramref name="objective"/> for <paramref name="trials"/> trials (fewer if <paramref name="timeout"/> passes), <paramref name="parallelism"/> at a time.</summary>
    public void Optimize(Func<Trial, double> objective, int trials, TimeSpan? timeout = null, int parallelism = 1)
    {
        ArgumentNullException.ThrowIfNull(objective);
        var deadline = timeout is { } t ? DateTimeOffset.UtcNow + t : DateTimeOffset.MaxValue;
        var remaining = trials;
        Parallel.For(0, Math.Max(1, parallelism), new ParallelOptions { MaxDegreeOfParallelism = parallelism }, _ =>
        {
            while (Interlocked.Decrement(ref remaining) >= 0 && DateTimeOffset.UtcNow < deadline)
            {
                var trial = Ask();
                try
                {
                    Tell(trial.Number, objective(trial));
                }
                catch (TrialPrunedException)
                {
                    Tell(trial.Number, TrialState.Pruned);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    Tell(trial.Number, TrialState.Fail);
                }
            }
        });
    }

    internal T Locked<T>(Func<T> action)
    {
        lock (_gate)
        {
            return action();
        }
    }

    private FrozenTrial Find(int number) =>
        number >= 0 && number < State.Trials.Count ? State.Trials[number] : throw new ArgumentOutOfRangeException(nameof(number), number, $"Study '{State.Name}' has no trial {number}.");

    private FrozenTrial Running(int number)
    {
        var t = Find(number);
        return t.State == TrialState.Running ? t : throw new InvalidOperationException($"Trial {number} already finished as {t.State}.");
    }
}

/// <summary>Thrown by an objective to stop a trial the pruner flagged (Optuna's TrialPruned).</summary>
public sealed class TrialPrunedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TrialPrunedException() : base("The trial was pruned.")
    {
    }

    /// <summary>Creates the exception.</summary>
    public TrialPrunedException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public TrialPrunedException(string message, Exception innerException) : base(message, innerException)
    {
    }
}

using ChurnFlows.Tuning.Studies;

namespace ChurnFlows.Tuning.Samplers;

/// <summary>One sampled dimension in TPE's working space (log-transformed, step-widened bounds).</summary>
/// <param name="Name">The parameter name.</param>
/// <param name="Low">The lower bound in working space.</param>
/// <param name="High">The upper bound in working space.</param>
/// <param name="Step">The grid step in working space (0: continuous).</param>
/// <param name="Choices">The number of categories (0 for numbers).</param>
/// <param name="IntegerLog">Whether this is a log-scale integer (sampled in log space, then rounded to an integer).</param>
internal sealed record Dimension(string Name, double Low, double High, double Step, int Choices, bool IntegerLog = false)
{
    /// <summary>Gets whether the kernels are continuous truncated normals (not a grid, not categories).</summary>
    public bool IsContinuous => Choices == 0 && Step == 0;

    public static Dimension For(string name, ParameterDistribution distribution) => distribution switch
    {
        FloatDistribution { Log: true } f => new(name, Math.Log(f.Low), Math.Log(f.High), 0, 0),
        FloatDistribution { Step: { } s } f => new(name, f.Low - (s / 2), f.High + (s / 2), s, 0),
        FloatDistribution f => new(name, f.Low, f.High, 0, 0),
        IntDistribution { Log: true } i => new(name, Math.Log(i.Low - 0.5), Math.Log(i.High + 0.5), 0, 0, IntegerLog: true),
        IntDistribution i => new(name, i.Low - (i.Step / 2.0), i.High + (i.Step / 2.0), i.Step, 0),
        CategoricalDistribution c => new(name, 0, c.Choices.Count - 1, 0, c.Choices.Count),
        _ => throw new ArgumentException($"Unknown distribution for '{name}'.", nameof(distribution)),
    };

    /// <summary>Maps an internal value into working space.</summary>
    public static double ToWorking(ParameterDistribution distribution, double value) =>
        distribution is FloatDistribution { Log: true } or IntDistribution { Log: true } ? Math.Log(value) : value;

    /// <summary>Maps a working-space value back to an internal value inside the distribution.</summary>
    public static double FromWorking(ParameterDistribution distribution, double value) => distribution switch
    {
        FloatDistribution { Log: true } f => Math.Clamp(Math.Exp(value), f.Low, f.High),
        FloatDistribution { Step: { } s } f => Math.Clamp(f.Low + (Math.Round((value - f.Low) / s) * s), f.Low, f.High),
        FloatDistribution f => Math.Clamp(value, f.Low, f.High),
        IntDistribution { Log: true } i => Math.Clamp(Math.Round(Math.Exp(value)), i.Low, i.High),
        IntDistribution i => Math.Clamp(i.Low + (Math.Round((value - i.Low) / i.Step) * i.Step), i.Low, i.High),
        _ => value,
    };

    /// <summary>
    /// Snaps a value drawn from a kernel to what the objective would receive, still in working space:
    /// grid points for steps, log of a rounded integer for log-scale integers (Optuna scores the snapped value).
    /// </summary>
    public double Snap(double x)
    {
        if (Step > 0)
        {
            var origin = Low + (Step / 2);
            return Math.Clamp(origin + (Math.Round((x - origin) / Step) * Step), origin, High - (Step / 2));
        }

        return IntegerLog ? Math.Log(Math.Clamp(Math.Round(Math.Exp(x)), Math.Round(Math.Exp(Low) + 0.5), Math.Round(Math.Exp(High) - 0.5))) : x;
    }
}

using ChurnFlows.Tuning.Studies;

namespace ChurnFlows.Tuning.Objectives;

/// <summary>A named test objective with its known minimum.</summary>
/// <param name="Name">The function name.</param>
/// <param name="Objective">The objective (suggests its own parameters).</param>
/// <param name="Optimum">The known global minimum.</param>
public sealed record StandardFunction(string Name, Func<Trial, double> Objective, double Optimum);

/// <summary>
/// Standard black-box test functions (minimization) with the usual bounds, for checking samplers
/// and comparing them with other tuners on equal terms.
/// </summary>
public static class StandardFunctions
{
    private static readonly double[,] H6A = { { 10, 3, 17, 3.5, 1.7, 8 }, { 0.05, 10, 17, 0.1, 8, 14 }, { 3, 3.5, 1.7, 10, 17, 8 }, { 17, 8, 0.05, 10, 0.1, 14 } };
    private static readonly double[,] H6P =
    {
        { 0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886 }, { 0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991 },
        { 0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650 }, { 0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381 },
    };

    private static readonly double[] H6Alpha = [1.0, 1.2, 3.0, 3.2];

    /// <summary>Gets all four: Branin, Hartmann-6, Rosenbrock-4, Levy-6.</summary>
    public static IReadOnlyList<StandardFunction> All { get; } =
    [
        new("branin", Branin, 0.397887),
        new("hartmann6", Hartmann6, -3.32237),
        new("rosenbrock4", Rosenbrock4, 0.0),
        new("levy6", Levy6, 0.0),
    ];

    /// <summary>Branin on x ∈ [−5, 10], y ∈ [0, 15].</summary>
    public static double Branin(Trial trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        var x = trial.SuggestFloat("x", -5, 10);
        var y = trial.SuggestFloat("y", 0, 15);
        const double b = 5.1 / (4 * Math.PI * Math.PI), c = 5 / Math.PI, t = 1 / (8 * Math.PI);
        return Math.Pow(y - (b * x * x) + (c * x) - 6, 2) + (10 * (1 - t) * Math.Cos(x)) + 10;
    }

    /// <summary>Hartmann-6 on [0, 1]⁶.</summary>
    public static double Hartmann6(Trial trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        var x = Enumerable.Range(0, 6).Select(i => trial.SuggestFloat($"x{i}", 0, 1)).ToArray();
        var sum = 0.0;
        for (var i = 0; i < 4; i++)
        {
            var inner = 0.0;
            for (var j = 0; j < 6; j++)
            {
                inner += H6A[i, j] * (x[j] - H6P[i, j]) * (x[j] - H6P[i, j]);
            }

            sum += H6Alpha[i] * Math.Exp(-inner);
        }

        return -sum;
    }

    /// <summary>Rosenbrock in 4 dimensions on [−2, 2]⁴.</summary>
    public static double Rosenbrock4(Trial trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        var x = Enumerable.Range(0, 4).Select(i => trial.SuggestFloat($"x{i}", -2, 2)).ToArray();
        var sum = 0.0;
        for (var i = 0; i < 3; i++)
        {
            sum += (100 * Math.Pow(x[i + 1] - (x[i] * x[i]), 2)) + Math.Pow(1 - x[i], 2);
        }

        return sum;
    }

    /// <summary>Levy in 6 dimensions on [−10, 10]⁶.</summary>
    public static double Levy6(Trial trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        var w = Enumerable.Range(0, 6).Select(i => 1 + ((trial.SuggestFloat($"x{i}", -10, 10) - 1) / 4)).ToArray();
        var sum = Math.Pow(Math.Sin(Math.PI * w[0]), 2);
        for (var i = 0; i < 5; i++)
        {
            sum += Math.Pow(w[i] - 1, 2) * (1 + (10 * Math.Pow(Math.Sin((Math.PI * w[i]) + 1), 2)));
        }

        return sum + (Math.Pow(w[5] - 1, 2) * (1 + Math.Pow(Math.Sin(2 * Math.PI * w[5]), 2)));
    }
}

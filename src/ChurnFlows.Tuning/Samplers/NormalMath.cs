using System.Runtime.CompilerServices;

namespace ChurnFlows.Tuning.Samplers;

/// <summary>Standard-normal CDF, its inverse and truncated-normal helpers.</summary>
internal static class NormalMath
{
    private const double Sqrt2 = 1.4142135623730951;

    /// <summary>log √(2π), the standard normal density's normalizer.</summary>
    public static readonly double LogSqrt2Pi = 0.5 * Math.Log(2 * Math.PI);

    /// <summary>Φ(x), accurate to about 1e-15 in the body and relative 1e-7 in the tails.</summary>
    public static double Cdf(double x) => 0.5 * Erfc(-x / Sqrt2);

    /// <summary>Φ⁻¹(p) (Acklam's rational approximation with one Newton refinement).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double InverseCdf(double p)
    {
        if (p <= 0)
        {
            return double.NegativeInfinity;
        }

        if (p >= 1)
        {
            return double.PositiveInfinity;
        }

        ReadOnlySpan<double> a = AcklamA, b = AcklamB, c = AcklamC, d = AcklamD;
        double x;
        if (p < 0.02425)
        {
            var q = Math.Sqrt(-2 * Math.Log(p));
            x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        else if (p > 1 - 0.02425)
        {
            var q = Math.Sqrt(-2 * Math.Log(1 - p));
            x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        else
        {
            var q = p - 0.5;
            var r = q * q;
            x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
        }

        var e = Cdf(x) - p;
        var u = e * Math.Sqrt(2 * Math.PI) * Math.Exp(x * x / 2);
        return x - (u / (1 + (x * u / 2)));
    }

    /// <summary>Draws from N(μ, σ²) truncated to [low, high].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double SampleTruncated(Random random, double mu, double sigma, double low, double high)
    {
        var a = Cdf((low - mu) / sigma);
        var b = Cdf((high - mu) / sigma);
        if (b - a < 1e-12)
        {
            return Math.Clamp(mu, low, high);
        }

        var x = mu + (sigma * InverseCdf(a + (random.NextDouble() * (b - a))));
        return Math.Clamp(x, low, high);
    }

    /// <summary>log of the normal mass inside [low, high] (the truncation normalizer).</summary>
    public static double LogTruncationMass(double mu, double sigma, double low, double high) =>
        LogMass((low - mu) / sigma, (high - mu) / sigma);

    /// <summary>
    /// log(Φ(b) − Φ(a)) for a ≤ b, computed in the tail nearer the interval (as Optuna does), so
    /// narrow intervals far from the mean keep their relative accuracy instead of cancelling to zero.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double LogMass(double a, double b)
    {
        if (a < -8.5 && b > 8.5)
        {
            // Both tails below 1e-17: the mass is 1 to double precision.
            return 0;
        }

        double mass;
        if (a > 0)
        {
            mass = Cdf(-a) - Cdf(-b);
        }
        else if (b <= 0)
        {
            mass = Cdf(b) - Cdf(a);
        }
        else
        {
            mass = 1 - Cdf(a) - Cdf(-b);
        }

        return Math.Log(Math.Max(mass, 1e-300));
    }

    private static ReadOnlySpan<double> AcklamA => [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00];

    private static ReadOnlySpan<double> AcklamB => [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01];

    private static ReadOnlySpan<double> AcklamC => [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00];

    private static ReadOnlySpan<double> AcklamD => [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00];

    private static ReadOnlySpan<double> Chebyshev => [-1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806, 0.27886807, -1.13520398, 1.48851587, -0.82215223, 0.17087277];

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double Erfc(double x)
    {
        // Numerical Recipes' erfc with a Chebyshev fit (fractional error < 1.2e-7).
        var z = Math.Abs(x);
        var t = 1 / (1 + (0.5 * z));
        var c = Chebyshev;
        var poly = c[^1];
        for (var i = c.Length - 2; i >= 0; i--)
        {
            poly = (poly * t) + c[i];
        }

        var r = t * Math.Exp((-z * z) + poly);
        return x >= 0 ? r : 2 - r;
    }
}

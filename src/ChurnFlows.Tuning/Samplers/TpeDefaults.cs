namespace ChurnFlows.Tuning.Samplers;

/// <summary>Optuna's default gamma and weights.</summary>
internal static class TpeDefaults
{
    /// <summary>How many of n trials form the "good" group: min(⌈0.1·n⌉, 25).</summary>
    public static int Gamma(int n) => Math.Min((int)Math.Ceiling(0.1 * n), 25);

    /// <summary>Observation weights, oldest first: ones below 25, else a ramp from 1/n to 1 followed by 25 ones.</summary>
    public static double[] Weights(int n)
    {
        if (n < 25)
        {
            return Enumerable.Repeat(1.0, n).ToArray();
        }

        var ramp = n - 25;
        var weights = new double[n];
        for (var i = 0; i < ramp; i++)
        {
            weights[i] = ramp == 1 ? 1.0 / n : (1.0 / n) + ((1 - (1.0 / n)) * i / (ramp - 1));
        }

        for (var i = ramp; i < n; i++)
        {
            weights[i] = 1;
        }

        return weights;
    }

    /// <summary>A stable 32-bit FNV-1a hash (string.GetHashCode is randomized per process).</summary>
    public static int StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)hash;
    }

    /// <summary>
    /// A random source that depends only on the seed, the trial number and a salt. The three are hashed
    /// (SplitMix64) into the seed because a seeded <see cref="Random"/> derives its state affinely from
    /// the seed, so nearby seeds would give visibly related streams across trials and parameters.
    /// </summary>
    public static Random RandomFor(int seed, int trialNumber, string salt) =>
        new(Mix(seed, trialNumber, salt));

    private static int Mix(int seed, int trialNumber, string salt)
    {
        var z = unchecked(((ulong)(uint)seed << 32) ^ (uint)trialNumber ^ ((ulong)(uint)StableHash(salt) * 0x9E3779B97F4A7C15UL));
        for (var i = 0; i < 2; i++)
        {
            z = unchecked(z + 0x9E3779B97F4A7C15UL);
            z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
            z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
            z ^= z >> 31;
        }

        return (int)(z & 0x7FFFFFFF);
    }
}

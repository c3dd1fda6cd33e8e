using ChurnFlows.ML.Data;

namespace ChurnFlows.ML.Drift;

/// <summary>Compares current data with the reference histograms stored with a model (PSI and KS).</summary>
public static class DriftDetector
{
    private const double Epsilon = 1e-4;

    /// <summary>Population stability index: Σ (c − r) · ln(c / r) over bins, with proportions floored at 1e-4.</summary>
    public static double Psi(FeatureHistogram reference, FeatureHistogram current)
    {
        var (r, c) = Proportions(reference, current);
        var psi = 0.0;
        for (var i = 0; i < r.Length; i++)
        {
            psi += (c[i] - r[i]) * Math.Log(c[i] / r[i]);
        }

        return psi;
    }

    /// <summary>Kolmogorov–Smirnov statistic: the largest gap between the two binned CDFs (non-missing values).</summary>
    public static double Ks(FeatureHistogram reference, FeatureHistogram current)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(current);
        double rTotal = reference.Counts.Sum(), cTotal = current.Counts.Sum();
        if (rTotal == 0 || cTotal == 0)
        {
            return 0;
        }

        double rCum = 0, cCum = 0, ks = 0;
        for (var i = 0; i < reference.Counts.Length; i++)
        {
            rCum += reference.Counts[i] / rTotal;
            cCum += current.Counts[i] / cTotal;
            ks = Math.Max(ks, Math.Abs(rCum - cCum));
        }

        return ks;
    }

    /// <summary>
    /// Bins every column of <paramref name="current"/> with the reference edges and compares. Row <c>i</c>
    /// counts <c>weights[i]</c> times when <paramref name="weights"/> is given (rows of a weighted sample, as
    /// sampled prediction logs are), once otherwise.
    /// </summary>
    public static DriftReport Compare(IReadOnlyList<FeatureHistogram> reference, FeatureMatrix current, DriftOptions? options = null, FeatureHistogram? predictionReference = null, ReadOnlySpan<double> predictions = default, ReadOnlySpan<int> weights = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(current);
        if (!weights.IsEmpty && weights.Length != current.RowCount)
        {
            throw new ArgumentException($"There are {weights.Length} weights for {current.RowCount} rows.", nameof(weights));
        }

        var accumulated = new DriftAccumulator(reference, current.FeatureNames, predictionReference);
        var row = new double[current.ColumnCount];
        for (var i = 0; i < current.RowCount; i++)
        {
            current.CopyRow(i, row);
            accumulated.AddRow(row, weights.IsEmpty ? 1 : weights[i]);
        }

        for (var i = 0; i < predictions.Length; i++)
        {
            accumulated.AddPrediction(predictions[i], weights.IsEmpty ? 1 : weights[i]);
        }

        return accumulated.Compare(options);
    }

    /// <summary>Compares accumulated histograms (e.g. from prediction logs) with the reference.</summary>
    public static DriftReport Compare(IReadOnlyList<FeatureHistogram> reference, IReadOnlyList<FeatureHistogram> current, DriftOptions? options = null, FeatureHistogram? predictionReference = null, FeatureHistogram? currentPredictions = null)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(current);
        options ??= new DriftOptions();
        var count = current.Count == 0 ? 0 : current.Max(h => h.Total);
        var enough = count >= options.MinimumCount;
        FeatureDrift Judge(FeatureHistogram r, FeatureHistogram c)
        {
            var psi = Psi(r, c);
            var ks = Ks(r, c);
            var severity = !enough ? "none" : psi >= options.PsiDrift || ks >= options.KsDrift ? "drift" : psi >= options.PsiWarning ? "moderate" : "none";
            return new FeatureDrift(r.Name, psi, ks, severity);
        }

        var features = current
            .Select(c => (c, r: reference.FirstOrDefault(r => r.Name == c.Name)))
            .Where(p => p.r is not null)
            .Select(p => Judge(p.r!, p.c))
            .OrderByDescending(f => f.Psi)
            .ToList();
        var prediction = predictionReference is not null && currentPredictions is not null ? Judge(predictionReference, currentPredictions) : null;
        return new DriftReport(count, features, prediction, features.Any(f => f.Severity == "drift") || prediction?.Severity == "drift");
    }

    private static (double[] Reference, double[] Current) Proportions(FeatureHistogram reference, FeatureHistogram current)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(current);
        if (reference.Counts.Length != current.Counts.Length)
        {
            throw new ArgumentException($"Histograms of '{reference.Name}' have different bin counts.", nameof(current));
        }

        double[] Of(FeatureHistogram h)
        {
            var total = Math.Max(1, h.Total);
            return [.. h.Counts.Append(h.MissingCount).Select(c => Math.Max(Epsilon, c / (double)total))];
        }

        return (Of(reference), Of(current));
    }
}

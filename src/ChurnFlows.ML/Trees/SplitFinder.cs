namespace ChurnFlows.ML.Trees;

/// <summary>
/// Finds the best threshold of one feature from its leaf histogram (<see cref="HistogramBuilder.Stride"/> doubles per bin:
/// gradient, hessian, count; the missing bin last), with LightGBM's gain: <c>T(G)²/(H+λ₂)</c> per side, where
/// <c>T</c> soft-thresholds by λ₁, minus the parent's gain and the minimum split gain.
/// </summary>
/// <remarks>
/// Missing values are tried on both sides (two scans) and the better direction is kept. When a
/// leaf has no missing rows the direction is learned from nothing, so missing values follow the
/// larger child. Counts are exact (LightGBM estimates them from hessians).
/// </remarks>
internal sealed class SplitFinder
{
    private readonly double _l1;
    private readonly double _l2;
    private readonly int _minCount;
    private readonly double _minHessian;
    private readonly double _minGain;

    public SplitFinder(double l1, double l2, int minCount, double minHessian, double minGain)
    {
        _l1 = l1;
        _l2 = l2;
        _minCount = Math.Max(1, minCount);
        _minHessian = minHessian;
        _minGain = minGain;
    }

    /// <summary>A leaf's output before shrinkage: <c>−T(G, λ₁)/(H+λ₂)</c>.</summary>
    public double LeafOutput(double gradient, double hessian)
    {
        var denominator = hessian + _l2;
        return denominator <= 0 ? 0 : -ThresholdL1(gradient, _l1) / denominator;
    }

    /// <summary>A leaf's gain: <c>T(G, λ₁)²/(H+λ₂)</c>.</summary>
    public double LeafGain(double gradient, double hessian)
    {
        var denominator = hessian + _l2;
        if (denominator <= 0)
        {
            return 0;
        }

        var t = _l1 > 0 ? ThresholdL1(gradient, _l1) : gradient;
        return t * t / denominator;
    }

    /// <summary>Finds the best split of one feature for a leaf with the given totals.</summary>
    /// <param name="hist">The feature's histogram slice, value bins then the missing bin.</param>
    /// <param name="feature">The feature index recorded in the result.</param>
    /// <param name="sumGradient">The leaf's gradient sum.</param>
    /// <param name="sumHessian">The leaf's hessian sum.</param>
    /// <param name="count">The leaf's row count.</param>
    public SplitInfo FindBest(ReadOnlySpan<double> hist, int feature, double sumGradient, double sumHessian, int count)
    {
        var best = SplitInfo.None;
        const int stride = HistogramBuilder.Stride;
        var valueBins = (hist.Length / stride) - 1;
        var missing = valueBins * stride;
        var missingCount = (int)hist[missing + 2];
        var minGainShift = LeafGain(sumGradient, sumHessian) + _minGain;
        var bestGain = minGainShift;

        // Scan 1: missing values go right. With missing rows present, "all values left" is a valid cut too.
        var lastThreshold = missingCount > 0 ? valueBins - 1 : valueBins - 2;
        Scan(hist, 0, 0, 0, lastThreshold, false, sumGradient, sumHessian, count, ref best, ref bestGain);
        if (missingCount > 0)
        {
            // Scan 2: missing values go left (start the left side with the missing bin).
            Scan(hist, hist[missing], hist[missing + 1], missingCount, valueBins - 2, true, sumGradient, sumHessian, count, ref best, ref bestGain);
        }

        if (bestGain <= minGainShift)
        {
            return SplitInfo.None;
        }

        best.Feature = feature;
        best.Gain = bestGain - minGainShift;
        if (missingCount == 0)
        {
            best.DefaultLeft = best.LeftCount >= best.RightCount;
        }

        return best;
    }

    private void Scan(
        ReadOnlySpan<double> hist, double leftGradient, double leftHessian, int leftCount, int lastThreshold, bool defaultLeft,
        double sumGradient, double sumHessian, int count, ref SplitInfo best, ref double bestGain)
    {
        for (var t = 0; t <= lastThreshold; t++)
        {
            var entry = t * HistogramBuilder.Stride;
            var binCount = (int)hist[entry + 2];
            if (binCount == 0)
            {
                continue;
            }

            leftGradient += hist[entry];
            leftHessian += hist[entry + 1];
            leftCount += binCount;
            if (leftCount < _minCount || leftHessian < _minHessian)
            {
                continue;
            }

            var rightCount = count - leftCount;
            var rightHessian = sumHessian - leftHessian;
            if (rightCount < _minCount || rightHessian < _minHessian)
            {
                break;
            }

            var rightGradient = sumGradient - leftGradient;
            var gain = LeafGain(leftGradient, leftHessian) + LeafGain(rightGradient, rightHessian);
            if (gain > bestGain)
            {
                bestGain = gain;
                best.ThresholdBin = t;
                best.DefaultLeft = defaultLeft;
                best.LeftGradient = leftGradient;
                best.LeftHessian = leftHessian;
                best.LeftCount = leftCount;
                best.RightGradient = rightGradient;
                best.RightHessian = rightHessian;
                best.RightCount = rightCount;
            }
        }
    }

    private static double ThresholdL1(double s, double l1)
    {
        var reduced = Math.Abs(s) - l1;
        return reduced <= 0 ? 0 : Math.CopySign(reduced, s);
    }
}

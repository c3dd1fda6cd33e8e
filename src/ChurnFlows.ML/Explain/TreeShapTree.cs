using ChurnFlows.ML.Trees;

namespace ChurnFlows.ML.Explain;

/// <summary>One tree's TreeSHAP recursion (ExtendPath, UnwindPath, UnwoundPathSum) over its arrays.</summary>
internal sealed class TreeShapTree
{
    private readonly int[] _features;
    private readonly double[] _thresholds;
    private readonly bool[] _defaultLeft;
    private readonly int[] _left;
    private readonly int[] _right;
    private readonly double[] _internalCover;
    private readonly double[] _leafValues;
    private readonly double[] _leafCover;

    public TreeShapTree(RegressionTree tree)
    {
        _features = [.. tree.SplitFeatures];
        _thresholds = [.. tree.Thresholds];
        _defaultLeft = [.. tree.DefaultLeft];
        _left = [.. tree.LeftChildren];
        _right = [.. tree.RightChildren];
        _internalCover = [.. tree.InternalCovers];
        _leafValues = [.. tree.LeafValues];
        _leafCover = [.. tree.LeafCovers];
        Depth = tree.ComputeDepth();
        var rootCover = _features.Length == 0 ? _leafCover[0] : _internalCover[0];
        double expected = 0;
        for (var leaf = 0; leaf < _leafValues.Length; leaf++)
        {
            expected += rootCover > 0 ? _leafCover[leaf] / rootCover * _leafValues[leaf] : _leafValues[leaf] / _leafValues.Length;
        }

        ExpectedValue = _features.Length == 0 ? _leafValues[0] : expected;
    }

    public double ExpectedValue { get; }

    public int Depth { get; }

    public void AddContributions(ReadOnlySpan<double> row, Span<double> phi, Span<PathElement> path)
    {
        if (_features.Length > 0)
        {
            Recurse(row, phi, 0, path, 0, 0, 1, 1, -1);
        }
    }

    private void Recurse(
        ReadOnlySpan<double> row, Span<double> phi, int node, Span<PathElement> buffer, int parentStart, int depth,
        double zeroFraction, double oneFraction, int feature)
    {
        // Each level works on its own copy of the path, placed right after the parent's.
        var start = parentStart + depth;
        if (depth > 0)
        {
            buffer.Slice(parentStart, depth).CopyTo(buffer[start..]);
        }

        var path = buffer[start..];
        Extend(path, depth, zeroFraction, oneFraction, feature);
        if (node < 0)
        {
            var value = _leafValues[~node];
            for (var i = 1; i <= depth; i++)
            {
                var weight = UnwoundSum(path, depth, i);
                phi[path[i].Feature] += weight * (path[i].OneFraction - path[i].ZeroFraction) * value;
            }

            return;
        }

        var split = _features[node];
        var x = row[split];
        var goLeft = double.IsNaN(x) ? _defaultLeft[node] : x <= _thresholds[node];
        var hot = goLeft ? _left[node] : _right[node];
        var cold = goLeft ? _right[node] : _left[node];
        var cover = _internalCover[node];
        var hotFraction = cover > 0 ? CoverOf(hot) / cover : 0.5;
        var coldFraction = cover > 0 ? CoverOf(cold) / cover : 0.5;
        double incomingZero = 1, incomingOne = 1;
        for (var k = 0; k <= depth; k++)
        {
            if (path[k].Feature == split)
            {
                // A feature seen higher up the path: undo it and merge its fractions into this split.
                incomingZero = path[k].ZeroFraction;
                incomingOne = path[k].OneFraction;
                Unwind(path, depth, k);
                depth--;
                break;
            }
        }

        Recurse(row, phi, hot, buffer, start, depth + 1, hotFraction * incomingZero, incomingOne, split);
        Recurse(row, phi, cold, buffer, start, depth + 1, coldFraction * incomingZero, 0, split);
    }

    private double CoverOf(int child) => child >= 0 ? _internalCover[child] : _leafCover[~child];

    private static void Extend(Span<PathElement> path, int depth, double zeroFraction, double oneFraction, int feature)
    {
        path[depth] = new PathElement { Feature = feature, ZeroFraction = zeroFraction, OneFraction = oneFraction, Weight = depth == 0 ? 1 : 0 };
        for (var i = depth - 1; i >= 0; i--)
        {
            path[i + 1].Weight += oneFraction * path[i].Weight * (i + 1) / (depth + 1);
            path[i].Weight = zeroFraction * path[i].Weight * (depth - i) / (depth + 1);
        }
    }

    private static void Unwind(Span<PathElement> path, int depth, int index)
    {
        var one = path[index].OneFraction;
        var zero = path[index].ZeroFraction;
        var next = path[depth].Weight;
        for (var i = depth - 1; i >= 0; i--)
        {
            if (one != 0)
            {
                var previous = path[i].Weight;
                path[i].Weight = next * (depth + 1) / ((i + 1) * one);
                next = previous - (path[i].Weight * zero * (depth - i) / (depth + 1));
            }
            else
            {
                path[i].Weight = path[i].Weight * (depth + 1) / (zero * (depth - i));
            }
        }

        for (var i = index; i < depth; i++)
        {
            path[i].Feature = path[i + 1].Feature;
            path[i].ZeroFraction = path[i + 1].ZeroFraction;
            path[i].OneFraction = path[i + 1].OneFraction;
        }
    }

    private static double UnwoundSum(Span<PathElement> path, int depth, int index)
    {
        var one = path[index].OneFraction;
        var zero = path[index].ZeroFraction;
        var next = path[depth].Weight;
        double total = 0;
        for (var i = depth - 1; i >= 0; i--)
        {
            if (one != 0)
            {
                var weight = next * (depth + 1) / ((i + 1) * one);
                total += weight;
                next = path[i].Weight - (weight * zero * (depth - i) / (depth + 1));
            }
            else if (zero != 0)
            {
                // XGBoost's guard: LightGBM divides by a zero fraction of 0 here.
                total += path[i].Weight / zero / ((depth - i) / (double)(depth + 1));
            }
        }

        return total;
    }
}

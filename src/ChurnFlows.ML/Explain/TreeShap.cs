using System.Buffers;
using ChurnFlows.ML.Trees;

namespace ChurnFlows.ML.Explain;

/// <summary>
/// Exact TreeSHAP (Lundberg, Erion and Lee's path-dependent algorithm, as in LightGBM's
/// <c>PredictContrib</c>) for a <see cref="GbdtModel"/>: per-feature contributions to a row's raw
/// score such that <see cref="ExpectedValue"/> plus their sum equals the raw score exactly (up to
/// rounding). The cover of each node is the number of training rows that reached it.
/// </summary>
/// <remarks>
/// Construction tabulates, per leaf, the Shapley path weights for every pattern of agreement between
/// a row and the leaf's path (see <see cref="PathWeightTables"/>), so explaining a row is one pass
/// over each tree's nodes and leaves: about 25 µs for 100 trees of up to 63 leaves. Trees whose
/// paths hold more than 10 distinct features (or that have zero-cover branches) use the recursive
/// algorithm instead. Thread-safe; explaining a row allocates nothing (beyond the returned reasons).
/// </remarks>
public sealed class TreeShap
{
    private const int StackPathLimit = 512;
    private const int StackMaskLimit = 1024;
    private readonly GbdtModel _model;
    private readonly PathWeightTables _tables;
    private readonly TreeShapTree[] _recursive;
    private readonly int _pathCapacity;

    /// <summary>Prepares the explainer (covers, expected values, path weight tables) for a model.</summary>
    public TreeShap(GbdtModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
        var expected = model.InitScore;
        foreach (var tree in model.Trees)
        {
            expected += new TreeShapTree(tree).ExpectedValue;
        }

        ExpectedValue = expected;
        var skipped = new List<int>();
        _tables = PathWeightTables.Build(model.Trees, skipped);
        _recursive = [.. skipped.Select(t => new TreeShapTree(model.Trees[t]))];
        var maxDepth = _recursive.Length == 0 ? 0 : _recursive.Max(t => t.Depth);
        var d = maxDepth + 2;
        _pathCapacity = d * (d + 1) / 2;
    }

    /// <summary>Gets the expected raw score over the training data (init score plus each tree's cover-weighted mean leaf).</summary>
    public double ExpectedValue { get; }

    /// <summary>Gets the number of features (the length contributions need).</summary>
    public int FeatureCount => _model.FeatureNames.Count;

    /// <summary>
    /// Writes each feature's contribution for <paramref name="row"/> into <paramref name="contributions"/>;
    /// <see cref="ExpectedValue"/> + Σ contributions = the model's raw score for the row.
    /// </summary>
    /// <param name="row">The row's features in the model's order (NaN = missing).</param>
    /// <param name="contributions">Receives one value per feature (cleared first).</param>
    /// <exception cref="ArgumentException">The row or the destination is shorter than <see cref="FeatureCount"/>.</exception>
    public void Explain(ReadOnlySpan<double> row, Span<double> contributions)
    {
        if (row.Length < FeatureCount)
        {
            throw new ArgumentException($"The row has {row.Length} values; the model needs {FeatureCount}.", nameof(row));
        }

        if (contributions.Length < FeatureCount)
        {
            throw new ArgumentException($"The destination holds {contributions.Length} values; the model has {FeatureCount} features.", nameof(contributions));
        }

        contributions[..FeatureCount].Clear();
        ulong[]? rentedMasks = null;
        var masks = _tables.MaskCapacity <= StackMaskLimit
            ? stackalloc ulong[_tables.MaskCapacity]
            : (rentedMasks = ArrayPool<ulong>.Shared.Rent(_tables.MaskCapacity));
        _tables.AddContributions(row, contributions, masks);
        if (rentedMasks is not null)
        {
            ArrayPool<ulong>.Shared.Return(rentedMasks);
        }

        if (_recursive.Length > 0)
        {
            AddRecursive(row, contributions);
        }
    }

    private void AddRecursive(ReadOnlySpan<double> row, Span<double> contributions)
    {
        PathElement[]? rented = null;
        var path = _pathCapacity <= StackPathLimit
            ? stackalloc PathElement[_pathCapacity]
            : (rented = ArrayPool<PathElement>.Shared.Rent(_pathCapacity));
        try
        {
            foreach (var tree in _recursive)
            {
                tree.AddContributions(row, contributions, path);
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<PathElement>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// Writes the <paramref name="destination"/>.Length features with the largest absolute contribution
    /// for <paramref name="row"/>, largest first, and returns how many were written.
    /// </summary>
    public int TopReasons(ReadOnlySpan<double> row, Span<FeatureContribution> destination)
    {
        double[]? rented = null;
        var phi = FeatureCount <= 256 ? stackalloc double[FeatureCount] : (rented = ArrayPool<double>.Shared.Rent(FeatureCount)).AsSpan(0, FeatureCount);
        try
        {
            Explain(row, phi);
            var written = 0;
            for (var f = 0; f < phi.Length; f++)
            {
                var magnitude = Math.Abs(phi[f]);
                int position;
                if (magnitude == 0 || destination.IsEmpty)
                {
                    continue;
                }
                else if (written < destination.Length)
                {
                    position = written++;
                }
                else if (magnitude > Math.Abs(destination[^1].Contribution))
                {
                    position = destination.Length - 1;
                }
                else
                {
                    continue;
                }

                // Insertion into the small sorted destination (k is tiny: 3 to 10 reasons).
                while (position > 0 && Math.Abs(destination[position - 1].Contribution) < magnitude)
                {
                    destination[position] = destination[position - 1];
                    position--;
                }

                destination[position] = new FeatureContribution(f, _model.FeatureNames[f], row[f], phi[f]);
            }

            return written;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<double>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Returns the <paramref name="count"/> features with the largest absolute contribution for <paramref name="row"/>, largest first.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public FeatureContribution[] TopReasons(ReadOnlySpan<double> row, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var buffer = new FeatureContribution[Math.Min(count, FeatureCount)];
        var written = TopReasons(row, buffer);
        return written == buffer.Length ? buffer : buffer[..written];
    }
}

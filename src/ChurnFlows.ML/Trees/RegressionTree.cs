using System.Text.Json.Serialization;

namespace ChurnFlows.ML.Trees;

/// <summary>
/// One trained tree as plain arrays (LightGBM's layout), JSON-serializable with System.Text.Json.
/// Internal node <c>i</c> sends row <c>x</c> left when <c>x[SplitFeatures[i]] ≤ Thresholds[i]</c>,
/// and a missing (NaN) value left when <c>DefaultLeft[i]</c>. A child index ≥ 0 is an internal node;
/// a negative child <c>c</c> is leaf <c>~c</c> (that is, <c>-c-1</c>). A tree with one leaf has no
/// internal nodes and always returns <c>LeafValues[0]</c>.
/// </summary>
public sealed class RegressionTree
{
    private readonly int[] _features;
    private readonly double[] _thresholds;
    private readonly bool[] _defaultLeft;
    private readonly int[] _left;
    private readonly int[] _right;
    private readonly double[] _leafValues;

    /// <summary>Creates a tree from its arrays, checking that they describe one well-formed tree.</summary>
    /// <param name="splitFeatures">Per internal node, the feature index it splits on.</param>
    /// <param name="thresholds">Per internal node, the raw threshold (x ≤ threshold goes left).</param>
    /// <param name="defaultLeft">Per internal node, whether missing values go left.</param>
    /// <param name="leftChildren">Per internal node, the left child (≥ 0 node, &lt; 0 leaf <c>~c</c>).</param>
    /// <param name="rightChildren">Per internal node, the right child.</param>
    /// <param name="splitGains">Per internal node, the split's gain (feature importance).</param>
    /// <param name="internalCovers">Per internal node, the training rows that reached it (TreeSHAP cover).</param>
    /// <param name="leafValues">Per leaf, the output added to the raw score (learning rate applied).</param>
    /// <param name="leafCovers">Per leaf, the training rows that reached it.</param>
    /// <exception cref="ArgumentException">The arrays disagree in length or a child index is out of range.</exception>
    [JsonConstructor]
    public RegressionTree(
        IReadOnlyList<int> splitFeatures, IReadOnlyList<double> thresholds, IReadOnlyList<bool> defaultLeft,
        IReadOnlyList<int> leftChildren, IReadOnlyList<int> rightChildren, IReadOnlyList<double> splitGains,
        IReadOnlyList<double> internalCovers, IReadOnlyList<double> leafValues, IReadOnlyList<double> leafCovers)
    {
        ArgumentNullException.ThrowIfNull(splitFeatures);
        ArgumentNullException.ThrowIfNull(thresholds);
        ArgumentNullException.ThrowIfNull(defaultLeft);
        ArgumentNullException.ThrowIfNull(leftChildren);
        ArgumentNullException.ThrowIfNull(rightChildren);
        ArgumentNullException.ThrowIfNull(splitGains);
        ArgumentNullException.ThrowIfNull(internalCovers);
        ArgumentNullException.ThrowIfNull(leafValues);
        ArgumentNullException.ThrowIfNull(leafCovers);
        var nodes = splitFeatures.Count;
        if (leafValues.Count != nodes + 1)
        {
            throw new ArgumentException($"A tree with {nodes} internal nodes needs {nodes + 1} leaf values, not {leafValues.Count}.", nameof(leafValues));
        }

        RequireLength(thresholds.Count, nodes, nameof(thresholds));
        RequireLength(defaultLeft.Count, nodes, nameof(defaultLeft));
        RequireLength(leftChildren.Count, nodes, nameof(leftChildren));
        RequireLength(rightChildren.Count, nodes, nameof(rightChildren));
        RequireLength(splitGains.Count, nodes, nameof(splitGains));
        RequireLength(internalCovers.Count, nodes, nameof(internalCovers));
        RequireLength(leafCovers.Count, nodes + 1, nameof(leafCovers));
        for (var i = 0; i < nodes; i++)
        {
            RequireChild(leftChildren[i], nodes, i, nameof(leftChildren));
            RequireChild(rightChildren[i], nodes, i, nameof(rightChildren));
            if (splitFeatures[i] < 0)
            {
                throw new ArgumentException($"Node {i} splits on feature {splitFeatures[i]}; feature indices are ≥ 0.", nameof(splitFeatures));
            }
        }

        _features = [.. splitFeatures];
        _thresholds = [.. thresholds];
        _defaultLeft = [.. defaultLeft];
        _left = [.. leftChildren];
        _right = [.. rightChildren];
        _leafValues = [.. leafValues];
        SplitGains = [.. splitGains];
        InternalCovers = [.. internalCovers];
        LeafCovers = [.. leafCovers];
    }

    /// <summary>Gets, per internal node, the feature index it splits on.</summary>
    public IReadOnlyList<int> SplitFeatures => _features;

    /// <summary>Gets, per internal node, the raw threshold (x ≤ threshold goes left).</summary>
    public IReadOnlyList<double> Thresholds => _thresholds;

    /// <summary>Gets, per internal node, whether missing values go left.</summary>
    public IReadOnlyList<bool> DefaultLeft => _defaultLeft;

    /// <summary>Gets, per internal node, the left child (≥ 0 internal node, &lt; 0 leaf <c>~c</c>).</summary>
    public IReadOnlyList<int> LeftChildren => _left;

    /// <summary>Gets, per internal node, the right child (≥ 0 internal node, &lt; 0 leaf <c>~c</c>).</summary>
    public IReadOnlyList<int> RightChildren => _right;

    /// <summary>Gets, per internal node, the split's gain (used for gain importance).</summary>
    public IReadOnlyList<double> SplitGains { get; }

    /// <summary>Gets, per internal node, how many training rows reached it (the TreeSHAP cover).</summary>
    public IReadOnlyList<double> InternalCovers { get; }

    /// <summary>Gets, per leaf, the value added to the raw score (learning rate already applied).</summary>
    public IReadOnlyList<double> LeafValues => _leafValues;

    /// <summary>Gets, per leaf, how many training rows reached it.</summary>
    public IReadOnlyList<double> LeafCovers { get; }

    /// <summary>Gets the number of leaves.</summary>
    [JsonIgnore]
    public int LeafCount => _leafValues.Length;

    /// <summary>Returns the leaf index that a row reaches.</summary>
    /// <param name="row">The row's features (at least as many as the largest split feature index + 1).</param>
    public int GetLeaf(ReadOnlySpan<double> row)
    {
        if (_features.Length == 0)
        {
            return 0;
        }

        var node = 0;
        while (node >= 0)
        {
            var x = row[_features[node]];
            var goLeft = double.IsNaN(x) ? _defaultLeft[node] : x <= _thresholds[node];
            node = goLeft ? _left[node] : _right[node];
        }

        return ~node;
    }

    /// <summary>Returns this tree's contribution to the raw score for one row.</summary>
    public double Evaluate(ReadOnlySpan<double> row) => _leafValues[GetLeaf(row)];

    /// <summary>Gets the depth (edges on the longest root-to-leaf path; 0 for a single leaf).</summary>
    public int ComputeDepth() => _features.Length == 0 ? 0 : DepthOf(0);

    private int DepthOf(int node)
    {
        var left = _left[node] >= 0 ? DepthOf(_left[node]) : 0;
        var right = _right[node] >= 0 ? DepthOf(_right[node]) : 0;
        return 1 + Math.Max(left, right);
    }

    private static void RequireLength(int actual, int expected, string name)
    {
        if (actual != expected)
        {
            throw new ArgumentException($"'{name}' has {actual} entries; the tree needs {expected}.", name);
        }
    }

    private static void RequireChild(int child, int nodes, int node, string name)
    {
        if (child >= 0 ? child <= node || child >= nodes : ~child > nodes)
        {
            throw new ArgumentException($"Node {node} has child {child} in '{name}', which is not a later node or a leaf of this tree.", name);
        }
    }
}

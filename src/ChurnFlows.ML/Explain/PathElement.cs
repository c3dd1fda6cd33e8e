namespace ChurnFlows.ML.Explain;

/// <summary>One feature on TreeSHAP's current root-to-node path (LightGBM's <c>PathElement</c>).</summary>
internal struct PathElement
{
    /// <summary>The feature split on (−1 for the root placeholder).</summary>
    public int Feature;

    /// <summary>The share of the path's cover that flows this way when the feature is unknown.</summary>
    public double ZeroFraction;

    /// <summary>1 if the row's own value follows this way, else 0.</summary>
    public double OneFraction;

    /// <summary>The permutation weight of subsets of this size.</summary>
    public double Weight;
}

namespace ChurnFlows.ML.Trees;

/// <summary>The best split found for one leaf: where to cut, which way missing values go, and the child sums.</summary>
internal struct SplitInfo
{
    /// <summary>Gets an empty split (no valid cut; gain −∞).</summary>
    public static SplitInfo None => new() { Feature = -1, Gain = double.NegativeInfinity };

    /// <summary>The feature index, or −1 when there is no valid split.</summary>
    public int Feature;

    /// <summary>Rows whose bin is ≤ this go left (missing rows follow <see cref="DefaultLeft"/>).</summary>
    public int ThresholdBin;

    /// <summary>Whether missing values go to the left child.</summary>
    public bool DefaultLeft;

    /// <summary>Split gain over the parent (and over the minimum gain); a split is made only when positive.</summary>
    public double Gain;

    /// <summary>Left child's gradient sum.</summary>
    public double LeftGradient;

    /// <summary>Left child's hessian sum.</summary>
    public double LeftHessian;

    /// <summary>Left child's row count.</summary>
    public int LeftCount;

    /// <summary>Right child's gradient sum.</summary>
    public double RightGradient;

    /// <summary>Right child's hessian sum.</summary>
    public double RightHessian;

    /// <summary>Right child's row count.</summary>
    public int RightCount;

    /// <summary>Gets whether a valid split was found.</summary>
    public readonly bool IsValid => Feature >= 0 && Gain > 0;

    /// <summary>Whether this split beats <paramref name="other"/>; ties go to the lower feature index, so results do not depend on evaluation order.</summary>
    public readonly bool IsBetterThan(in SplitInfo other) =>
        Gain > other.Gain || (Gain == other.Gain && Feature >= 0 && (other.Feature < 0 || Feature < other.Feature));
}

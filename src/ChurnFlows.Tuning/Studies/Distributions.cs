using System.Globalization;
using System.Text.Json.Serialization;

namespace ChurnFlows.Tuning.Studies;

/// <summary>
/// The range a parameter is sampled from. Values are held internally as doubles: the number itself
/// for floats and ints, the choice index for categoricals.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(FloatDistribution), "float")]
[JsonDerivedType(typeof(IntDistribution), "int")]
[JsonDerivedType(typeof(CategoricalDistribution), "categorical")]
public abstract record ParameterDistribution
{
    /// <summary>Turns an internal value into what the objective sees (double, int or string).</summary>
    public abstract object ToExternal(double internalValue);

    /// <summary>Returns whether an internal value lies in the distribution.</summary>
    public abstract bool Contains(double internalValue);
}

/// <summary>A float in [Low, High], optionally log-uniform or on a step grid.</summary>
/// <param name="Low">The lower bound.</param>
/// <param name="High">The upper bound.</param>
/// <param name="Log">Whether to sample in log space (Low must be &gt; 0).</param>
/// <param name="Step">The grid step, or null.</param>
public sealed record FloatDistribution(double Low, double High, bool Log = false, double? Step = null) : ParameterDistribution
{
    /// <summary>Checks the bounds.</summary>
    /// <exception cref="ArgumentException">The range is empty, log with Low ≤ 0, or log combined with a step.</exception>
    public FloatDistribution Validate(string name)
    {
        if (!(Low <= High) || !double.IsFinite(Low) || !double.IsFinite(High))
        {
            throw new ArgumentException($"Parameter '{name}': low ({Low}) must not exceed high ({High}), and both must be finite.", nameof(name));
        }

        if (Log && Low <= 0)
        {
            throw new ArgumentException($"Parameter '{name}': a log-scale range needs low > 0 (got {Low}).", nameof(name));
        }

        if (Log && Step is not null)
        {
            throw new ArgumentException($"Parameter '{name}': step and log cannot be combined.", nameof(name));
        }

        if (Step is <= 0)
        {
            throw new ArgumentException($"Parameter '{name}': step must be positive (got {Step}).", nameof(name));
        }

        return this;
    }

    /// <inheritdoc />
    public override object ToExternal(double internalValue) => internalValue;

    /// <inheritdoc />
    public override bool Contains(double internalValue) => internalValue >= Low && internalValue <= High;
}

/// <summary>An integer in [Low, High] on a step grid, optionally log-uniform.</summary>
/// <param name="Low">The lower bound.</param>
/// <param name="High">The upper bound.</param>
/// <param name="Log">Whether to sample in log space (Low must be ≥ 1).</param>
/// <param name="Step">The grid step.</param>
public sealed record IntDistribution(int Low, int High, bool Log = false, int Step = 1) : ParameterDistribution
{
    /// <summary>Checks the bounds.</summary>
    /// <exception cref="ArgumentException">The range is empty, log with Low &lt; 1, or the step is not positive.</exception>
    public IntDistribution Validate(string name)
    {
        if (Low > High)
        {
            throw new ArgumentException($"Parameter '{name}': low ({Low}) must not exceed high ({High}).", nameof(name));
        }

        if (Log && Low < 1)
        {
            throw new ArgumentException($"Parameter '{name}': a log-scale integer range needs low >= 1 (got {Low}).", nameof(name));
        }

        if (Step < 1 || (Log && Step != 1))
        {
            throw new ArgumentException($"Parameter '{name}': step must be >= 1, and exactly 1 with log (got {Step}).", nameof(name));
        }

        return this;
    }

    /// <inheritdoc />
    public override object ToExternal(double internalValue) => (int)Math.Round(internalValue);

    /// <inheritdoc />
    public override bool Contains(double internalValue) => internalValue >= Low && internalValue <= High;
}

/// <summary>One of a fixed list of choices (stored as strings).</summary>
/// <param name="Choices">The choices.</param>
public sealed record CategoricalDistribution(IReadOnlyList<string> Choices) : ParameterDistribution
{
    /// <summary>Checks the choices.</summary>
    /// <exception cref="ArgumentException">No choices, or a repeated one.</exception>
    public CategoricalDistribution Validate(string name)
    {
        if (Choices.Count == 0 || Choices.Distinct(StringComparer.Ordinal).Count() != Choices.Count)
        {
            throw new ArgumentException($"Parameter '{name}': choices must be non-empty and distinct.", nameof(name));
        }

        return this;
    }

    /// <inheritdoc />
    public override object ToExternal(double internalValue) => Choices[(int)internalValue];

    /// <inheritdoc />
    public override bool Contains(double internalValue) => internalValue >= 0 && internalValue < Choices.Count && internalValue == Math.Floor(internalValue);

    /// <inheritdoc />
    public bool Equals(CategoricalDistribution? other) => other is not null && Choices.SequenceEqual(other.Choices);

    /// <inheritdoc />
    public override int GetHashCode() => string.Join('\u001f', Choices).GetHashCode(StringComparison.Ordinal);

    /// <summary>Describes the choices.</summary>
    public override string ToString() => string.Join("|", Choices.Select(c => c.ToString(CultureInfo.InvariantCulture)));
}

namespace ChurnFlows.ML.Features;

/// <summary>
/// The fitted encoding of one categorical column, stored with the model so serving encodes exactly as
/// training did: every kept category's numeric code and the code of "other" (categories past the cap,
/// and any category first seen after training). Missing values stay NaN.
/// </summary>
/// <remarks>
/// Codes run 0..<see cref="Codes"/>.Count (one of them is <see cref="OtherCode"/>) in the order of each
/// category's training churn rate, smoothed towards the overall rate. The GBDT splits numeric thresholds,
/// so with this order one split separates the low-churn from the high-churn categories, as LightGBM's
/// categorical split does by sorting categories by their gradient statistics. "Other" takes its place
/// in that order from the rate of the rows it holds (the overall rate when none), so an unseen category
/// is scored like an average one rather than like the riskiest. The rates come from the training rows
/// only (the pipeline is fitted on the training part of a split), and only the order is kept.
/// </remarks>
public sealed record CategoryVocabulary
{
    /// <summary>The most categories kept per column: with "other" they fill the GBDT's 255 value bins.</summary>
    public const int MaximumCategories = 254;

    /// <summary>How many rows' worth of the overall churn rate each category's rate is blended with.</summary>
    public const double Smoothing = 10;

    /// <summary>What explanations show for the "other" code.</summary>
    public const string OtherLabel = "(other)";

    /// <summary>Gets the categorical column.</summary>
    public required string Column { get; init; }

    // One dictionary, looked up by string or, for a request body's characters, by span.
    private Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _codes = new Dictionary<string, int>(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Gets each kept category's code (ordinal, case-sensitive, trimmed categories).</summary>
    public required IReadOnlyDictionary<string, int> Codes
    {
        get => _codes.Dictionary;
        init => _codes = new Dictionary<string, int>(value, StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Gets the code of every category not in <see cref="Codes"/>.</summary>
    public required int OtherCode { get; init; }

    /// <summary>Returns the code of <paramref name="category"/>: its own, <see cref="OtherCode"/> when unknown, NaN when missing.</summary>
    public double Encode(string? category) => category is null ? double.NaN : Encode(category.AsSpan());

    /// <summary>Returns the code of <paramref name="category"/> as <see cref="Encode(string)"/> does, without needing a string (a request body's characters).</summary>
    public double Encode(ReadOnlySpan<char> category) =>
        Data.ValueParser.IsMissing(category) ? double.NaN : _codes.TryGetValue(category.Trim(), out var code) ? code : OtherCode;

    /// <summary>Returns the category a code stands for (<see cref="OtherLabel"/> for "other"), or null for NaN or a code out of range.</summary>
    public string? Decode(double code)
    {
        if (code == OtherCode)
        {
            return OtherLabel;
        }

        foreach (var (category, c) in Codes)
        {
            if (c == code)
            {
                return category;
            }
        }

        return null;
    }

    /// <summary>
    /// Fits the vocabulary of <paramref name="column"/> on training rows: keeps the
    /// <paramref name="maximumCategories"/> most frequent categories (ties by ordinal name) and orders
    /// them, with "other", by smoothed churn rate (ties: more frequent first, then by name).
    /// </summary>
    /// <param name="column">The column name.</param>
    /// <param name="values">The column as the dataset holds it: indices into <paramref name="categories"/>, NaN = missing.</param>
    /// <param name="categories">The dataset's category of each index.</param>
    /// <param name="labels">Each row's label, 0 or 1.</param>
    /// <param name="maximumCategories">The most categories kept (1..254).</param>
    public static CategoryVocabulary Fit(string column, ReadOnlySpan<double> values, IReadOnlyList<string> categories, ReadOnlySpan<float> labels, int maximumCategories = MaximumCategories)
    {
        ArgumentNullException.ThrowIfNull(categories);
        ArgumentOutOfRangeException.ThrowIfLessThan(maximumCategories, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maximumCategories, MaximumCategories);
        var counts = new int[categories.Count];
        var positives = new double[categories.Count];
        double total = 0, totalPositives = 0;
        for (var i = 0; i < values.Length; i++)
        {
            if (!double.IsNaN(values[i]))
            {
                var index = (int)values[i];
                counts[index]++;
                positives[index] += labels[i];
                total++;
                totalPositives += labels[i];
            }
        }

        var prior = total == 0 ? 0 : totalPositives / total;
        double Rate(double rows, double churned) => (churned + (Smoothing * prior)) / (rows + Smoothing);
        var byFrequency = Enumerable.Range(0, categories.Count).Where(k => counts[k] > 0)
            .OrderByDescending(k => counts[k]).ThenBy(k => categories[k], StringComparer.Ordinal).ToList();
        var kept = byFrequency.Take(maximumCategories).ToList();
        var rest = byFrequency.Skip(maximumCategories).ToList();
        var ranked = kept.Select(k => (Name: (string?)categories[k], Count: (double)counts[k], Rate: Rate(counts[k], positives[k])))
            .Append((Name: null, Count: rest.Sum(k => (double)counts[k]), Rate: Rate(rest.Sum(k => counts[k]), rest.Sum(k => positives[k]))))
            .OrderBy(c => c.Rate).ThenByDescending(c => c.Count).ThenBy(c => c.Name is null).ThenBy(c => c.Name, StringComparer.Ordinal)
            .ToList();
        var codes = new Dictionary<string, int>(StringComparer.Ordinal);
        var other = 0;
        for (var code = 0; code < ranked.Count; code++)
        {
            if (ranked[code].Name is { } name)
            {
                codes[name] = code;
            }
            else
            {
                other = code;
            }
        }

        return new CategoryVocabulary { Column = column, Codes = codes, OtherCode = other };
    }
}

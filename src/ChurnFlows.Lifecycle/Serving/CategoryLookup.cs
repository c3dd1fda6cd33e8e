using ChurnFlows.ML.Data;
using ChurnFlows.ML.Features;

namespace ChurnFlows.Lifecycle.Serving;

/// <summary>
/// A model vocabulary's codes looked up by character span, so a category read from a request body is encoded
/// without allocating a string; encodes exactly as <see cref="CategoryVocabulary.Encode"/>.
/// </summary>
internal sealed class CategoryLookup
{
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _codes;
    private readonly int _otherCode;

    /// <summary>Creates a lookup over <paramref name="vocabulary"/>.</summary>
    public CategoryLookup(CategoryVocabulary vocabulary)
    {
        _codes = new Dictionary<string, int>(vocabulary.Codes, StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
        _otherCode = vocabulary.OtherCode;
    }

    /// <summary>Returns the code of <paramref name="category"/>: its own, "other" when unknown, NaN when missing.</summary>
    public double Encode(ReadOnlySpan<char> category) =>
        ValueParser.IsMissing(category) ? double.NaN : _codes.TryGetValue(category.Trim(), out var code) ? code : _otherCode;
}

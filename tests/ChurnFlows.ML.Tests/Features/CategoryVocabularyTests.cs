using System.Text;
using ChurnFlows.ML.Data;
using ChurnFlows.ML.Features;
using ChurnFlows.ML.Schema;
using Xunit;

namespace ChurnFlows.ML.Tests.Features;

public class CategoryVocabularyTests
{
    private static readonly DatasetSchema PlanSchema = DatasetSchema.FromJson("""{"columns":[{"name":"plan","kind":"categorical"},{"name":"left","kind":"label"}]}""");

    /// <summary>Rows of (plan, how many, how many of them churned); an empty plan is missing.</summary>
    private static TabularDataset Plans(params (string Plan, int Rows, int Churned)[] groups)
    {
        var csv = new StringBuilder("plan,left\n");
        foreach (var (plan, rows, churned) in groups)
        {
            for (var i = 0; i < rows; i++)
            {
                csv.Append(plan).Append(',').Append(i < churned ? 1 : 0).Append('\n');
            }
        }

        return DatasetReader.Read(new StringReader(csv.ToString()), PlanSchema).Dataset;
    }

    private static CategoryVocabulary Fit(TabularDataset data, int maximumCategories = CategoryVocabulary.MaximumCategories) =>
        CategoryVocabulary.Fit("plan", data.Columns["plan"], data.Vocabularies["plan"], data.Labels, maximumCategories);

    [Fact]
    public void Fit_OrdersCategoriesBySmoothedChurnRate_OtherAtTheOverallRate()
    {
        // First seen: hi, mid, lo. Rates smoothed towards 0.5: lo 0.17, mid 0.5, other 0.5 (no rows), hi 0.83.
        var vocabulary = Fit(Plans(("hi", 20, 20), ("mid", 20, 10), ("lo", 20, 0)));

        Assert.Equal(0, vocabulary.Codes["lo"]);
        Assert.Equal(1, vocabulary.Codes["mid"]);
        Assert.Equal(2, vocabulary.OtherCode);
        Assert.Equal(3, vocabulary.Codes["hi"]);
    }

    [Fact]
    public void Fit_SameRowsInAnotherOrder_GivesTheSameCodes()
    {
        var one = Fit(Plans(("a", 30, 3), ("b", 30, 9), ("c", 30, 9), ("d", 5, 0)));
        var other = Fit(Plans(("d", 5, 0), ("c", 30, 9), ("b", 30, 9), ("a", 30, 3)));

        Assert.Equal(one.Codes.OrderBy(c => c.Value), other.Codes.OrderBy(c => c.Value));
        Assert.Equal(one.OtherCode, other.OtherCode);
        Assert.True(one.Codes["b"] < one.Codes["c"], "equal rates and counts fall back to ordinal name order");
    }

    [Fact]
    public void Fit_OverTheCap_KeepsTheMostFrequent_AndRanksOtherByItsOwnRows()
    {
        // c is dropped (least frequent); other holds its 5 churned rows: rate (5 + 10·25/55) / 15 ≈ 0.64, between a and b.
        var vocabulary = Fit(Plans(("a", 30, 0), ("b", 20, 20), ("c", 5, 5)), maximumCategories: 2);

        Assert.Equal(["a", "b"], vocabulary.Codes.Keys.Order());
        Assert.Equal(1, vocabulary.OtherCode);
        Assert.Equal(1, vocabulary.Encode("c"));
        Assert.Equal(2, vocabulary.Encode("b"));
    }

    [Fact]
    public void Fit_ManyCategories_KeepsAtMost254_AndCodesFillTheGbdtsValueBins()
    {
        var groups = Enumerable.Range(0, 300).Select(i => ($"p{i:D3}", 1 + (i % 7), i % 2)).ToArray();

        var vocabulary = Fit(Plans(groups));

        Assert.Equal(CategoryVocabulary.MaximumCategories, vocabulary.Codes.Count);
        Assert.Equal(Enumerable.Range(0, 255), vocabulary.Codes.Values.Append(vocabulary.OtherCode).Order());
    }

    [Theory]
    [InlineData("mid", 1.0)]
    [InlineData(" mid ", 1.0)]
    [InlineData("MID", 2.0)]
    [InlineData("never-seen", 2.0)]
    [InlineData("", double.NaN)]
    [InlineData("NA", double.NaN)]
    [InlineData(null, double.NaN)]
    public void Encode_KnownUnknownOrMissing_GivesCodeOtherOrNaN(string? category, double expected)
    {
        var vocabulary = Fit(Plans(("hi", 20, 20), ("mid", 20, 10), ("lo", 20, 0)));

        Assert.Equal(expected, vocabulary.Encode(category));
    }

    [Fact]
    public void Decode_NamesTheCategory_OtherLabelForOther_NullForMissing()
    {
        var vocabulary = Fit(Plans(("hi", 20, 20), ("mid", 20, 10), ("lo", 20, 0)));

        Assert.Equal("hi", vocabulary.Decode(3));
        Assert.Equal(CategoryVocabulary.OtherLabel, vocabulary.Decode(2));
        Assert.Null(vocabulary.Decode(double.NaN));
    }

    [Fact]
    public void Fit_MaximumCategoriesOutOfRange_Throws()
    {
        var data = Plans(("a", 3, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Fit(data, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Fit(data, 255));
    }
}

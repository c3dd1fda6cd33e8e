using System.Text;
using System.Text.Json;
using ChurnFlows.Lifecycle.Serving;
using ChurnFlows.ML.Data;
using ChurnFlows.ML.Features;
using ChurnFlows.TestKit;

namespace ChurnFlows.Lifecycle.Tests.Serving;

public class CustomerRecordReaderTests
{
    private static readonly FeaturePipeline Pipeline = FeaturePipeline.Fit(DatasetReader.Read(new StringReader(PlanChurnData.ToCsv(1_000, seed: 8)), PlanChurnData.Schema).Dataset);
    private static readonly CustomerRecordReader Reader = new(PlanChurnData.Schema, Pipeline);
    private static readonly int Plan = Pipeline.InputColumns.ToList().IndexOf("plan");

    /// <summary>The same model read by a schema whose <c>monthly_fee</c> column is not nullable.</summary>
    private static readonly CustomerRecordReader FeeRequiredReader = new(
        PlanChurnData.Schema with { Columns = [.. PlanChurnData.Schema.Columns.Select(c => c.Name == "monthly_fee" ? c with { Nullable = false } : c)] },
        Pipeline);

    private static (double[] Inputs, List<FieldError> Errors) ReadJson(string json)
    {
        var errors = new List<FieldError>();
        var body = Encoding.UTF8.GetBytes(json);
        var reader = new Utf8JsonReader(body);
        reader.Read();
        new CustomerObjectReader(new ServingColumns([Reader])).Read(body, ref reader, models: null, errors, row: 4, out _, out _, out var inputs);
        return (inputs.ToArray(), errors);
    }

    [Theory]
    [InlineData("\"trial\"", "trial")]
    [InlineData("\" trial \"", "trial")]
    [InlineData("\"platinum\"", "platinum")]
    [InlineData("7", "7")]
    [InlineData("true", "true")]
    [InlineData("\"\"", null)]
    [InlineData("null", null)]
    public void Read_CategoryStringNumberOrBoolean_IsEncodedByTheVocabulary(string json, string? asText)
    {
        var (inputs, errors) = ReadJson($$"""{"plan":{{json}},"tenure_months":3}""");

        Assert.Empty(errors);
        Assert.Equal(Pipeline.VocabularyOf("plan")!.Encode(asText), inputs[Plan]);
    }

    [Theory]
    [InlineData("{\"name\":\"trial\"}", "got object")]
    [InlineData("[\"trial\"]", "got array")]
    public void Read_CategoryObjectOrArray_IsAnErrorNamingTheField(string json, string problem)
    {
        var (_, errors) = ReadJson($$"""{"plan":{{json}}}""");

        var error = Assert.Single(errors);
        Assert.Equal("[4].plan", error.Field);
        Assert.Contains(problem, error.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("monthly_fee", "1e400")]
    [InlineData("monthly_fee", "-1E+309")]
    [InlineData("tenure_months", "1e999")]
    public void Read_NumberBeyondADoublesRange_IsAnErrorNamingTheField(string field, string number)
    {
        var (_, errors) = ReadJson($$"""{"{{field}}":{{number}},"plan":"basic"}""");

        var error = Assert.Single(errors);
        Assert.Equal($"[4].{field}", error.Field);
        Assert.Contains("out of range", error.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"plan":"basic","tenure_months":3}""")]
    [InlineData("""{"plan":"basic","tenure_months":3,"monthly_fee":null}""")]
    public void Read_FieldTheSchemaSaysIsNotNullable_AbsentOrNull_IsAnErrorNamingIt(string json)
    {
        Assert.Empty(ReadJson(json).Errors); // the same customer is fine where the column is nullable

        var errors = new List<FieldError>();
        var body = Encoding.UTF8.GetBytes(json);
        var reader = new Utf8JsonReader(body);
        reader.Read();
        new CustomerObjectReader(new ServingColumns([FeeRequiredReader])).Read(body, ref reader, models: null, errors, row: 4, out _, out _, out _);

        var error = Assert.Single(errors);
        Assert.Equal("[4].monthly_fee", error.Field);
        Assert.Contains("is required", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadCsv_EmptyCellOrAbsentColumn_TheSchemaSaysIsNotNullable_IsAnErrorNamingIt()
    {
        var empty = new List<FieldError>();
        var absent = new List<FieldError>();

        FeeRequiredReader.ReadCsv(new StringReader("account,plan,monthly_fee\nA1,basic,10\nA2,basic,\n"), empty, 10);
        FeeRequiredReader.ReadCsv(new StringReader("account,plan\nA1,basic\n"), absent, 10);

        Assert.Equal(["[1].monthly_fee"], empty.Select(e => e.Field));
        Assert.Equal(["[0].monthly_fee"], absent.Select(e => e.Field));
        Assert.All(empty.Concat(absent), e => Assert.Contains("is required", e.Problem, StringComparison.Ordinal));
    }

    [Fact]
    public void ReadCsv_HeaderInAnyOrder_NoLabel_ReadsEveryCustomerLikeJson()
    {
        var errors = new List<FieldError>();

        var customers = Reader.ReadCsv(new StringReader("note,monthly_fee,plan,account,tenure_months\nhi,30.5,trial,A1,12\n,,, A2 ,\n\n"), errors, 10);

        Assert.Empty(errors);
        Assert.Equal(["A1", "A2"], customers.Select(c => c.Id));
        var (json, _) = ReadJson("""{"plan":"trial","tenure_months":12,"monthly_fee":30.5}""");
        Assert.Equal(json, customers[0].Inputs);
        Assert.All(customers[1].Inputs, v => Assert.True(double.IsNaN(v)));
    }

    [Fact]
    public void ReadCsv_BadCells_AreNamedByCustomerIndexAndColumn()
    {
        var errors = new List<FieldError>();

        Reader.ReadCsv(new StringReader("account,plan,tenure_months,monthly_fee\nA1,basic,3,10\nA2,basic,-3,ten\nA3,basic\n"), errors, 10);

        Assert.Equal(["[1].tenure_months", "[1].monthly_fee", "[2]"], errors.Select(e => e.Field));
        Assert.Contains("must not be negative", errors[0].Problem, StringComparison.Ordinal);
        Assert.Contains("not a number", errors[1].Problem, StringComparison.Ordinal);
        Assert.Contains("line 4 has 2 fields", errors[2].Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("account,plan\n", "header only")]
    [InlineData("account,plan\nA1,x\nA2,y\nA3,z\n", "1 to 2 customers")]
    public void ReadCsv_EmptyHeaderOnlyOrTooMany_IsABatchError(string csv, string problem)
    {
        var errors = new List<FieldError>();

        Reader.ReadCsv(new StringReader(csv), errors, 2);

        var error = Assert.Single(errors);
        Assert.Equal("$", error.Field);
        Assert.Contains(problem, error.Problem, StringComparison.Ordinal);
    }
}

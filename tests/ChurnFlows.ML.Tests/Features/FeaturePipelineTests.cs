using ChurnFlows.ML.Features;
using ChurnFlows.ML.Synthetic;
using Xunit;

namespace ChurnFlows.ML.Tests.Features;

public class FeaturePipelineTests
{
    [Fact]
    public void TransformRow_EqualsBatchTransform_ForEveryRow()
    {
        AssertTransformRowEqualsTransform(SyntheticChurnGenerator.Generate(new() { Rows = 300 }));
    }

    /// <summary>Fits on <paramref name="data"/>, then checks every row through serving's path (categoricals encoded by the vocabulary) against the batch transform.</summary>
    internal static void AssertTransformRowEqualsTransform(ChurnFlows.ML.Data.TabularDataset data)
    {
        var pipeline = FeaturePipeline.Fit(data);
        var batch = pipeline.Transform(data);
        var inputs = new double[pipeline.InputColumns.Count];
        var row = new double[batch.ColumnCount];

        for (var i = 0; i < data.RowCount; i++)
        {
            for (var c = 0; c < inputs.Length; c++)
            {
                var column = pipeline.InputColumns[c];
                var value = data.Columns[column][i];
                inputs[c] = pipeline.VocabularyOf(column) is { } vocabulary
                    ? vocabulary.Encode(double.IsNaN(value) ? null : data.Vocabularies[column][(int)value])
                    : value;
            }

            pipeline.TransformRow(inputs, row);
            Assert.Equal(Enumerable.Range(0, row.Length).Select(f => batch[i, f]), row);
        }
    }

    [Fact]
    public void Fit_StandardSchema_AddsEngineeredFeaturesWithExpectedValues()
    {
        var csv = SyntheticChurnGenerator.Header + "\nC1,2024-01-01,10,500,5,2,30,20,5,2026-06-01,2026-06-30,4,2,60,0\n";
        var data = ChurnFlows.ML.Data.DatasetReader.Read(new StringReader(csv)).Dataset;
        var pipeline = FeaturePipeline.Fit(data);
        var x = pipeline.Transform(data);
        double Feature(string name) => x[0, pipeline.FeatureNames.ToList().IndexOf(name)];

        Assert.Equal(2, Feature("purchases_per_month"));
        Assert.Equal(50, Feature("spend_per_purchase"));
        Assert.Equal(0.25, Feature("email_open_rate"));
        Assert.Equal(60, Feature("tickets_x_resolution_time"));
        Assert.Equal(0, Feature("days_since_last_login"));
        Assert.Equal(29, Feature("days_since_last_purchase"));
        Assert.Equal(0, Feature("no_login_30_days"));
    }

    [Fact]
    public void Fit_CustomSchema_PassesThroughItsColumns_CategoricalsAsFittedCodes()
    {
        var schema = ChurnFlows.ML.Schema.DatasetSchema.FromJson("""{"columns":[{"name":"tenure","kind":"integer"},{"name":"plan","kind":"categorical"},{"name":"gone","kind":"label"}]}""");
        var data = ChurnFlows.ML.Data.DatasetReader.Read(new StringReader("tenure,plan,gone\n3,a,1\n7,b,0\n"), schema).Dataset;

        var x = FeaturePipeline.Fit(data).Transform(data);

        Assert.Equal(["tenure", "plan"], x.FeatureNames);
        Assert.Equal(7, x[1, 0]);
        Assert.Equal(0, x[1, 1]); // b never churned: the lowest code; "other" (1) sits at the overall rate, a above it
        Assert.Equal(2, x[0, 1]);
    }

    [Fact]
    public void DatasetSplit_Stratified_KeepsClassBalanceAndCoversEveryRowOnce()
    {
        var labels = Enumerable.Range(0, 1000).Select(i => i % 5 == 0 ? 1f : 0f).ToArray();
        var split = DatasetSplit.Stratified(labels, seed: 3);
        var all = split.Train.Concat(split.Validation).Concat(split.Test).Order().ToArray();

        Assert.Equal(Enumerable.Range(0, 1000), all);
        Assert.Equal(700, split.Train.Length);
        Assert.Equal(0.2, split.Test.Average(i => labels[i]), 2);
        Assert.Equal(split.Train, DatasetSplit.Stratified(labels, seed: 3).Train);
    }

    [Fact]
    public void DatasetSplit_Temporal_TestIsNewest()
    {
        var data = SyntheticChurnGenerator.Generate(new() { Rows = 200 });
        var split = DatasetSplit.Temporal(data, "signup_date");
        var dates = data.Columns["signup_date"];
        Assert.True(split.Train.Max(i => dates[i]) <= split.Test.Min(i => dates[i]));
        Assert.Throws<ArgumentException>(() => DatasetSplit.Temporal(data, "nope"));
    }
}

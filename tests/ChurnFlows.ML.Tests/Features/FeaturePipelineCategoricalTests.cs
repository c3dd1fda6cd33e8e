using ChurnFlows.ML.Data;
using ChurnFlows.ML.Evaluation;
using ChurnFlows.ML.Features;
using ChurnFlows.ML.Schema;
using ChurnFlows.ML.Trees;
using ChurnFlows.TestKit;
using Xunit;

namespace ChurnFlows.ML.Tests.Features;

public class FeaturePipelineCategoricalTests
{
    private static TabularDataset Read(string csv, DatasetSchema? schema = null) =>
        DatasetReader.Read(new StringReader(csv), schema ?? PlanChurnData.Schema).Dataset;

    private static TabularDataset Accounts(int rows, int seed, DatasetSchema? schema = null) => Read(PlanChurnData.ToCsv(rows, seed), schema);

    [Fact]
    public void Transform_AnotherDataset_UsesTheFittedCodes_UnknownIsOther_MissingIsNaN()
    {
        var training = Read("account,plan,tenure_months,monthly_fee,churned\n" + string.Concat(Enumerable.Range(0, 60).Select(i =>
            $"A{i},{(i < 20 ? "hi" : i < 40 ? "mid" : "lo")},5,20,{(i < 20 || (i < 40 && i % 2 == 0) ? 1 : 0)}\n")));
        var pipeline = FeaturePipeline.Fit(training);

        // The new dataset's own dictionary codes differ (new = 0, hi = 1, lo = 2); the pipeline's do not.
        var serving = Read("account,plan,tenure_months,monthly_fee,churned\nB1,new,5,20,0\nB2,hi,5,20,0\nB3,,5,20,0\nB4,lo,5,20,1\n");
        var plan = pipeline.Transform(serving).Column(pipeline.FeatureNames.ToList().IndexOf("plan")).ToArray();

        Assert.Equal([2, 3, double.NaN, 0], plan);
    }

    [Fact]
    public void TransformRow_WithEncodedCategories_EqualsBatchTransform()
    {
        FeaturePipelineTests.AssertTransformRowEqualsTransform(Accounts(500, seed: 3));
    }

    [Fact]
    public void CategoryOf_NamesTheCategoryOfCategoricalFeaturesOnly()
    {
        var pipeline = FeaturePipeline.Fit(Accounts(500, seed: 4));
        var plan = pipeline.FeatureNames.ToList().IndexOf("plan");
        var vocabulary = pipeline.VocabularyOf("plan")!;

        Assert.Equal("trial", pipeline.CategoryOf(plan, vocabulary.Encode("trial")));
        Assert.Equal(CategoryVocabulary.OtherLabel, pipeline.CategoryOf(plan, vocabulary.Encode("platinum")));
        Assert.Null(pipeline.CategoryOf(plan, double.NaN));
        Assert.Null(pipeline.CategoryOf(pipeline.FeatureNames.ToList().IndexOf("tenure_months"), 3));
    }

    [Fact]
    public void Transform_PipelineWithoutVocabularies_ReadsCategoricalsAsMissing()
    {
        var data = Accounts(50, seed: 5);
        var saved = FeaturePipeline.Fit(data) with { Vocabularies = [] };

        var x = saved.Transform(data);

        Assert.All(x.Column(saved.FeatureNames.ToList().IndexOf("plan")).ToArray(), v => Assert.True(double.IsNaN(v)));
    }

    [Fact]
    public void Fit_CategoricalColumnWithSignal_IsLearned_AucClearlyAboveAModelWithoutIt()
    {
        var withoutPlan = DatasetSchema.FromJson(PlanChurnData.SchemaJson.Replace("""{"name":"plan","kind":"categorical"},""", string.Empty, StringComparison.Ordinal));
        double TestAuc(DatasetSchema schema)
        {
            var training = Accounts(6_000, seed: 1, schema);
            var test = Accounts(3_000, seed: 2, schema);
            var pipeline = FeaturePipeline.Fit(training);
            var model = new GbdtBinaryTrainer(new() { NumberOfIterations = 80, NumberOfLeaves = 15 }).Fit(pipeline.Transform(training), training.Labels);
            return BinaryClassificationEvaluator.AreaUnderRocCurve(model.PredictProbabilities(pipeline.Transform(test)), test.Labels);
        }

        var with = TestAuc(PlanChurnData.Schema);
        var without = TestAuc(withoutPlan);

        Assert.True(with > without + 0.15, $"test ROC-AUC with the plan {with:F4}, without {without:F4}");
    }
}

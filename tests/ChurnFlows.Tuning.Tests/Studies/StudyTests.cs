using ChurnFlows.Tuning.Objectives;
using ChurnFlows.Tuning.Reports;
using ChurnFlows.Tuning.Studies;

namespace ChurnFlows.Tuning.Tests.Studies;

public class StudyTests
{
    [Fact]
    public void StudyState_SerializedMidRun_ContinuesIdentically()
    {
        var straight = Study.Create(seed: 11);
        straight.Optimize(StandardFunctions.Hartmann6, 40);

        var first = Study.Create(seed: 11);
        first.Optimize(StandardFunctions.Hartmann6, 20);
        var resumed = new Study(StudyState.FromJson(first.State.ToJson()));
        resumed.Optimize(StandardFunctions.Hartmann6, 20);

        Assert.Equal(straight.State.Trials.Select(t => t.Value), resumed.State.Trials.Select(t => t.Value));
        Assert.Equal(straight.BestParams, resumed.BestParams);
    }

    [Theory]
    [InlineData(5, 1, false, "must not exceed")]
    [InlineData(0, 1, true, "needs low > 0")]
    [InlineData(double.NaN, 1, false, "finite")]
    public void SuggestFloat_BadRange_ThrowsNamingTheParameter(double low, double high, bool log, string expected)
    {
        var trial = Study.Create().Ask();
        var error = Assert.Throws<ArgumentException>(() => trial.SuggestFloat("lr", low, high, log));
        Assert.Contains("'lr'", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Suggest_SameNameDifferentRange_Throws_And_CategoricalNeedsChoices()
    {
        var trial = Study.Create().Ask();
        trial.SuggestInt("leaves", 8, 64);
        Assert.Throws<ArgumentException>(() => trial.SuggestInt("leaves", 8, 128));
        Assert.Throws<ArgumentException>(() => trial.SuggestCategorical("kind", []));
        Assert.Throws<ArgumentException>(() => trial.SuggestInt("n", 1, 10, step: 0));
    }

    [Fact]
    public void Tell_Twice_Throws_AndBestTrialNeedsACompletedTrial()
    {
        var study = Study.Create(StudyDirection.Maximize);
        Assert.Throws<InvalidOperationException>(() => study.BestTrial);
        var t = study.Ask();
        study.Tell(t.Number, 0.9);
        Assert.Throws<InvalidOperationException>(() => study.Tell(t.Number, 0.8));
        Assert.Equal(0.9, study.BestValue);
    }

    [Fact]
    public void Optimize_ObjectiveThrowsPruned_RecordsPrunedState_AndReportsSummarize()
    {
        var study = Study.Create(seed: 1);
        study.Optimize(t =>
        {
            var x = t.SuggestFloat("x", 0, 1);
            t.Report(x, 0);
            return t.Number % 3 == 2 ? throw new TrialPrunedException() : x;
        }, 12);

        Assert.Equal(4, study.State.Trials.Count(t => t.State == TrialState.Pruned));
        var report = StudyReport.From(study.State);
        Assert.Equal(8, report.BestSoFar.Count);
        Assert.True(report.BestSoFar.Zip(report.BestSoFar.Skip(1)).All(p => p.Second <= p.First));
        Assert.StartsWith("number,state,value,duration_s,param_x\n0,Complete,", report.ToCsv(), StringComparison.Ordinal);
        Assert.Equal(1.0, report.ParamImportance["x"], 6);
        Assert.Contains("\"bestSoFar\"", report.ToJson(), StringComparison.Ordinal);
    }
}

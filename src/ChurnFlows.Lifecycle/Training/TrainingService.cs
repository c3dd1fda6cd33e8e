using System.Globalization;
using ChurnFlows.ML.Artifacts;
using ChurnFlows.ML.Data;
using ChurnFlows.ML.Drift;
using ChurnFlows.ML.Evaluation;
using ChurnFlows.ML.Features;
using ChurnFlows.ML.Trees;
using ChurnFlows.Tuning.Objectives;
using ChurnFlows.Tuning.Pruners;
using ChurnFlows.Tuning.Reports;
using ChurnFlows.Tuning.Studies;

namespace ChurnFlows.Lifecycle.Training;

/// <summary>What training produced.</summary>
/// <param name="Artifact">The candidate model.</param>
/// <param name="Study">The tuning study's report.</param>
/// <param name="Decision">The promotion gate's verdict.</param>
public sealed record TrainingOutcome(ModelArtifact Artifact, StudyReport Study, PromotionDecision Decision);

/// <summary>
/// Turns a validated dataset into a gated candidate model: stratified split, feature pipeline, a TPE
/// study with median pruning over the GBDT (validation ROC-AUC), a final fit on the best parameters,
/// an F1-optimal decision threshold chosen on validation, a holdout evaluation and the promotion gates.
/// </summary>
public sealed class TrainingService(TrainingOptions? options = null)
{
    private readonly TrainingOptions _options = options ?? new TrainingOptions();

    /// <summary>Tunes, trains, evaluates and gates. <paramref name="progress"/> hears one line per trial.</summary>
    public TrainingOutcome Train(TabularDataset data, string version, ModelLineage lineage, Action<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(lineage);
        var split = DatasetSplit.Stratified(data.Labels, _options.Seed);
        var (train, valid, test) = (data.SelectRows(split.Train), data.SelectRows(split.Validation), data.SelectRows(split.Test));
        var pipeline = FeaturePipeline.Fit(train);
        var (xTrain, xValid, xTest) = (pipeline.Transform(train), pipeline.Transform(valid), pipeline.Transform(test));
        var objective = new GbdtObjective(xTrain, train.Labels, xValid, valid.Labels, new GbdtObjective.Options
        {
            MaximumIterations = _options.MaximumIterations,
            EarlyStoppingRounds = _options.EarlyStoppingRounds,
            NumberOfThreads = Math.Max(1, Environment.ProcessorCount / _options.Parallelism),
            Seed = _options.Seed,
        });
        var study = Study.Create(StudyDirection.Maximize, _options.Seed, pruner: new MedianPruner(), name: $"retrain-{version}");
        study.Optimize(trial =>
        {
            try
            {
                var auc = objective.Evaluate(trial);
                progress?.Invoke(string.Create(CultureInfo.InvariantCulture, $"trial {trial.Number,3}: validation AUC {auc:F4}"));
                return auc;
            }
            catch (TrialPrunedException)
            {
                progress?.Invoke($"trial {trial.Number,3}: pruned");
                throw;
            }
        }, _options.Trials, parallelism: _options.Parallelism);

        var final = objective.TrainerOptions(study.GetTrial(study.BestTrial.Number));
        final.ValidationMetric = new GbdtValidationMetric("AUC", (labels, scores) => BinaryClassificationEvaluator.AreaUnderRocCurve(scores, labels), HigherIsBetter: true);
        var model = new GbdtBinaryTrainer(final).Fit(xTrain, train.Labels, default, xValid, valid.Labels);
        var threshold = ChooseThreshold(model.PredictProbabilities(xValid), valid.Labels);
        var testProbabilities = model.PredictProbabilities(xTest);
        var metrics = BinaryClassificationEvaluator.Evaluate(testProbabilities, test.Labels, threshold);
        var artifact = new ModelArtifact
        {
            Version = version,
            Schema = data.Schema,
            Pipeline = pipeline,
            Model = model,
            Threshold = threshold,
            Metrics = metrics,
            ReferenceHistograms = FeatureHistogram.FitAll(xTrain),
            PredictionHistogram = FeatureHistogram.Fit("prediction", testProbabilities),
            Lineage = lineage with { Parameters = study.BestTrial.ExternalParams.ToDictionary(p => p.Key, p => Convert.ToString(p.Value, CultureInfo.InvariantCulture)!), TrainingRows = train.RowCount },
        };
        return new TrainingOutcome(artifact, StudyReport.From(study.State), Gate(metrics));
    }

    /// <summary>
    /// The decision threshold, chosen on validation data: the one with the widest margin over both the
    /// recall and the precision gate (so the holdout is likely to pass too), or the F1-optimal one when no
    /// threshold meets both (the gate will then say why).
    /// </summary>
    public double ChooseThreshold(double[] probabilities, float[] labels)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        var gates = _options.Thresholds;
        var sorted = probabilities.Order().ToArray();
        var best = (Threshold: BinaryClassificationEvaluator.Evaluate(probabilities, labels).F1OptimalThreshold, Margin: 0.0);
        for (var q = 1; q < 200; q++)
        {
            var candidate = sorted[sorted.Length * q / 200];
            var c = BinaryClassificationEvaluator.Confusion(probabilities, labels, candidate);
            var precision = c.TruePositives / (double)Math.Max(1, c.TruePositives + c.FalsePositives);
            var recall = c.TruePositives / (double)Math.Max(1, c.TruePositives + c.FalseNegatives);
            var margin = Math.Min(precision - gates.MinimumPrecision, recall - gates.MinimumRecall);
            if (margin > best.Margin)
            {
                best = (candidate, margin);
            }
        }

        return best.Threshold;
    }

    /// <summary>Applies the absolute promotion gates to holdout metrics.</summary>
    public PromotionDecision Gate(EvaluationReport metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var t = _options.Thresholds;
        var checks = new (bool Ok, string Text)[]
        {
            (metrics.AreaUnderRocCurve >= t.MinimumAreaUnderRocCurve, $"ROC-AUC {metrics.AreaUnderRocCurve:F4} vs minimum {t.MinimumAreaUnderRocCurve:F2}"),
            (metrics.Recall >= t.MinimumRecall, $"recall {metrics.Recall:F3} vs minimum {t.MinimumRecall:F2}"),
            (metrics.Precision >= t.MinimumPrecision, $"precision {metrics.Precision:F3} vs minimum {t.MinimumPrecision:F2}"),
        };
        return new PromotionDecision(checks.All(c => c.Ok), [.. checks.Select(c => string.Create(CultureInfo.InvariantCulture, $"{(c.Ok ? "pass" : "FAIL")}: {c.Text}"))]);
    }
}

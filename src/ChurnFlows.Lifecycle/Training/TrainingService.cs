using System.Globalization;
using ChurnFlows.Lifecycle.Registry;
using ChurnFlows.ML.Artifacts;
using ChurnFlows.ML.Data;
using ChurnFlows.ML.Drift;
using ChurnFlows.ML.Evaluation;
using ChurnFlows.ML.Features;
using ChurnFlows.ML.Schema;
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
        var (gold, pipeline) = GoldDataset.Prepare(data, _options.Seed);
        var objective = CreateObjective(gold, Math.Max(1, Environment.ProcessorCount / _options.Parallelism));
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

        var artifact = FitCandidate(data.Schema, pipeline, gold, objective.TrainerOptions(study.GetTrial(study.BestTrial.Number)), version, lineage with { Parameters = Describe(study.BestTrial) });
        return new TrainingOutcome(artifact, StudyReport.From(study.State), Gate(artifact.Metrics!));
    }

    /// <summary>The tuning objective over a prepared dataset: validation ROC-AUC of the GBDT, with early stopping and pruning.</summary>
    public GbdtObjective CreateObjective(GoldDataset gold, int threads)
    {
        ArgumentNullException.ThrowIfNull(gold);
        return new GbdtObjective(gold.Train.Features, gold.Train.Labels, gold.Validation.Features, gold.Validation.Labels, new GbdtObjective.Options
        {
            MaximumIterations = _options.MaximumIterations,
            EarlyStoppingRounds = _options.EarlyStoppingRounds,
            NumberOfThreads = threads,
            Seed = _options.Seed,

            // Every round, like Optuna's XGBoost and LightGBM callbacks: a hopeless trial stops at its first report below the median.
            ReportEvery = 1,

            // Paths of at most 10 features keep every served explanation on the table-driven TreeSHAP.
            MaximumDepth = 10,
        });
    }

    /// <summary>
    /// Fits the final model with <paramref name="trainer"/> options, chooses its threshold on validation,
    /// evaluates it on the holdout and packs everything serving and drift monitoring need into an artifact.
    /// </summary>
    public ModelArtifact FitCandidate(DatasetSchema schema, FeaturePipeline pipeline, GoldDataset gold, GbdtBinaryTrainer.Options trainer, string version, ModelLineage lineage)
    {
        ArgumentNullException.ThrowIfNull(gold);
        ArgumentNullException.ThrowIfNull(trainer);
        trainer.ValidationMetric = new GbdtValidationMetric("AUC", (labels, scores) => BinaryClassificationEvaluator.AreaUnderRocCurve(scores, labels), HigherIsBetter: true);
        var model = new GbdtBinaryTrainer(trainer).Fit(gold.Train.Features, gold.Train.Labels, default, gold.Validation.Features, gold.Validation.Labels);
        return PackageCandidate(schema, pipeline, gold, model, version, lineage);
    }

    /// <summary>
    /// Packs a trained model as a candidate: chooses its threshold on validation, evaluates it on the
    /// holdout and adds everything serving and drift monitoring need.
    /// </summary>
    public ModelArtifact PackageCandidate(DatasetSchema schema, FeaturePipeline pipeline, GoldDataset gold, GbdtModel model, string version, ModelLineage lineage)
    {
        ArgumentNullException.ThrowIfNull(gold);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(lineage);
        var threshold = ChooseThreshold(model.PredictProbabilities(gold.Validation.Features), gold.Validation.Labels);
        var testProbabilities = model.PredictProbabilities(gold.Test.Features);
        return new ModelArtifact
        {
            Version = version,
            Schema = schema,
            Pipeline = pipeline,
            Model = model,
            Threshold = threshold,
            Metrics = BinaryClassificationEvaluator.Evaluate(testProbabilities, gold.Test.Labels, threshold),
            ReferenceHistograms = FeatureHistogram.FitAll(gold.Train.Features),
            PredictionHistogram = FeatureHistogram.Fit("prediction", testProbabilities),
            Lineage = lineage with { TrainingRows = gold.Train.Rows.Length },
        };
    }

    /// <summary>A trial's parameters as the lineage records them.</summary>
    public static Dictionary<string, string> Describe(FrozenTrial trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        return trial.ExternalParams.ToDictionary(p => p.Key, p => Convert.ToString(p.Value, CultureInfo.InvariantCulture)!, StringComparer.Ordinal);
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
    public PromotionDecision Gate(EvaluationReport metrics) =>
        PromotionGate.Decide(ModelMetrics.From(metrics), null, _options.Thresholds, 0);
}

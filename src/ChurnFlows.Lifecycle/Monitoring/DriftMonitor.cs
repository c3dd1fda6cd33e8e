using System.Globalization;
using ChurnFlows.ML.Artifacts;
using ChurnFlows.ML.Evaluation;

namespace ChurnFlows.Lifecycle.Monitoring;

/// <summary>
/// Compares what the Production model has been serving with what it was trained on: feature and
/// prediction drift (PSI/KS against the reference histograms stored in the model), model age, newer
/// accepted data, and ROC-AUC on outcomes posted back. Each fired trigger is a retrain reason.
/// </summary>
public sealed class DriftMonitor(LifecycleServices services)
{
    /// <summary>Runs one check at <paramref name="now"/> with <paramref name="settings"/>.</summary>
    public async Task<DriftCheck> CheckAsync(DriftMonitorSettings settings, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var version = await services.Models.GetProductionVersionAsync(cancellationToken).ConfigureAwait(false);
        if (version is null)
        {
            return new DriftCheck(null, 0, [], null, 0, 0, 0, null, [], []);
        }

        var model = await services.Models.LoadAsync(version, cancellationToken).ConfigureAwait(false);
        var from = now - TimeSpan.FromHours(settings.WindowHours);
        var outcomes = await services.Predictions.ReadOutcomesAsync(from, now, cancellationToken).ConfigureAwait(false);
        var window = await ReadServedAsync(model, version, from, now, outcomes, cancellationToken).ConfigureAwait(false);
        var triggers = new List<string>();
        var report = window.Drift.Compare(settings.ToDriftOptions());
        var drifted = report.DriftedFeatures.ToList();
        var served = report.CurrentCount; // the predictions served, each logged entry counting its weight
        if (served >= settings.MinimumPredictions && drifted.Count >= settings.MinimumDriftedFeatures)
        {
            triggers.Add(Text($"feature drift in {drifted.Count} feature(s): {string.Join(", ", report.Features.Where(f => f.Severity == "drift").Select(f => Text($"{f.Feature} (PSI {f.Psi:F2}, KS {f.Ks:F2})")))}"));
        }

        var age = (now - model.CreatedAt).TotalDays;
        if (settings.MaximumModelAgeDays > 0 && age >= settings.MaximumModelAgeDays)
        {
            triggers.Add(Text($"model {version} is {age:F1} days old (limit {settings.MaximumModelAgeDays:F0})"));
        }

        var newer = (await services.Datasets.ListAsync(cancellationToken).ConfigureAwait(false))
            .Count(d => d.Accepted && d.IngestedAt > model.CreatedAt && d.Sha256 != model.Lineage.DatasetSha256);
        if (settings.RetrainOnNewData && newer > 0)
        {
            triggers.Add($"{newer} newer accepted dataset(s) since {version} was trained");
        }

        var (labelled, auc) = LabelledPerformance(window, outcomes);
        if (auc is { } a && labelled >= settings.MinimumLabelledOutcomes && a < settings.MinimumLabelledAreaUnderRocCurve)
        {
            triggers.Add(Text($"ROC-AUC on {labelled} labelled outcomes is {a:F3} (minimum {settings.MinimumLabelledAreaUnderRocCurve:F2})"));
        }

        return new DriftCheck(version, served, drifted, report.Prediction?.Psi, age, newer, labelled, auc, triggers, report.Features);
    }

    /// <summary>Streams the window's log into what <paramref name="model"/> served as <paramref name="version"/>, one entry at a time.</summary>
    private async Task<ServedWindow> ReadServedAsync(ModelArtifact model, string version, DateTimeOffset from, DateTimeOffset to, IReadOnlyList<OutcomeEntry> outcomes, CancellationToken cancellationToken)
    {
        var window = new ServedWindow(model, outcomes.Select(o => o.CustomerId).ToHashSet(StringComparer.Ordinal));
        await foreach (var entry in services.Predictions.StreamPredictionsAsync(from, to, cancellationToken).ConfigureAwait(false))
        {
            if (entry.ModelVersion == version)
            {
                window.Add(entry);
            }
        }

        return window;
    }

    private static (int Count, double? Auc) LabelledPerformance(ServedWindow window, IReadOnlyList<OutcomeEntry> outcomes)
    {
        var scores = new List<double>();
        var labels = new List<float>();
        foreach (var o in outcomes)
        {
            if (window.LatestLabelledScores.TryGetValue(o.CustomerId, out var latest))
            {
                scores.Add(latest.Probability);
                labels.Add(o.Churned ? 1f : 0f);
            }
        }

        var bothClasses = labels.Contains(1f) && labels.Contains(0f);
        return (scores.Count, bothClasses ? BinaryClassificationEvaluator.AreaUnderRocCurve([.. scores], [.. labels]) : null);
    }

    private static string Text(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}

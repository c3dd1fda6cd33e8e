using System.Globalization;
using ChurnFlows.Durable;
using ChurnFlows.Lifecycle.Activities;
using ChurnFlows.Lifecycle.Training;

namespace ChurnFlows.Lifecycle.Orchestration;

/// <summary>
/// The retrain: gold features and split (once) → tuning sub-orchestration → final training → candidate
/// and champion on the same holdout → gate (thresholds, no regression, optional approval) → promote or
/// keep the champion, with the reasons recorded. Runs as the singleton instance
/// <see cref="LifecycleServices.RetrainInstanceId"/>.
/// </summary>
public sealed class RetrainOrchestrator : TaskOrchestrator<RetrainRequest, RetrainOutcome>
{
    /// <summary>The external event that approves or rejects a pending promotion (payload <see cref="ApprovalDecision"/>).</summary>
    public const string ApprovalEvent = "approval";

    /// <inheritdoc />
    public override async Task<RetrainOutcome> RunAsync(TaskOrchestrationContext context, RetrainRequest input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var settings = input.Settings;
        var run = new RunRecorder(context, input.RunId, "retrain");
        await run.RecordAsync("started", "running", input.Reason);
        try
        {
            var gold = await context.CallActivityAsync<GoldReference>(nameof(PrepareGoldActivity), new PrepareGoldRequest(input.DatasetSha256, settings.Seed), RunRecorder.Retry);
            await run.RecordAsync("features", "running", $"dataset {input.DatasetSha256[..12]}: {gold.TrainRows:N0} train / {gold.ValidationRows:N0} validation / {gold.TestRows:N0} holdout rows → churn-gold/{gold.BlobName}");

            var tuning = await context.CallSubOrchestratorAsync<TuneOutcome>(nameof(TuneOrchestrator), new TuneRequest(input.RunId, gold, settings), new SubOrchestrationOptions(InstanceId: $"{context.InstanceId}:{input.RunId}:tune"));
            await run.RecordAsync("tune", "running", Text($"{tuning.Completed} completed, {tuning.Pruned} pruned, {tuning.Failed} failed, {tuning.Waves} sampler rounds ({tuning.StopReason}); best trial {tuning.BestTrial}: validation ROC-AUC {tuning.BestValue:F4}"));

            var version = $"v{context.CurrentUtcDateTime:yyyyMMdd-HHmmss}";
            var candidate = await context.CallActivityAsync<Registry.ModelMetrics>(nameof(TrainCandidateActivity), new CandidateRequest(input.RunId, version, input.RunId, gold, settings), RunRecorder.Retry);
            await run.RecordAsync("train", "running", Text($"candidate {version}: holdout ROC-AUC {candidate.AreaUnderRocCurve:F4}, precision {candidate.Precision:F3}, recall {candidate.Recall:F3} at threshold {candidate.Threshold:F3}"));

            var evaluation = await context.CallActivityAsync<EvaluationOutcome>(nameof(EvaluateModelsActivity), new EvaluationRequest(gold, version), RunRecorder.Retry);
            var decision = PromotionGate.Decide(evaluation.Candidate, evaluation.Champion, settings.Thresholds, settings.MaximumRegression);
            var reasons = decision.Reasons.ToList();
            var compared = evaluation.Champion is { } c ? Text($"champion {evaluation.ChampionVersion} on the same holdout: ROC-AUC {c.AreaUnderRocCurve:F4}")
                : evaluation.ChampionVersion is { } other ? $"champion {other} was trained on other columns, so only the thresholds apply" : "no champion yet";
            await run.RecordAsync("evaluate", "running", $"{compared}; gate {(decision.Promote ? "passed" : "failed")}");

            var promote = decision.Promote;
            if (promote && settings.RequireApproval)
            {
                await run.RecordAsync("approval", "awaiting-approval", $"candidate {version} passed the gates; waiting up to {settings.ApprovalTimeoutHours:0.#} h for approval (POST /api/runs/{input.RunId}/approve or /reject)");
                var approval = await WaitForApprovalAsync(context, TimeSpan.FromHours(settings.ApprovalTimeoutHours));
                promote = approval.Approved;
                reasons.Add(approval.Approved ? $"approved by {approval.By ?? "an operator"}{Comment(approval)}" : approval.By is null && approval.Comment is null ? "no approval before the timeout" : $"rejected by {approval.By ?? "an operator"}{Comment(approval)}");
            }

            var production = await context.CallActivityAsync<string?>(nameof(ApplyDecisionActivity), new DecisionRequest(version, promote, reasons, input.RunId), RunRecorder.Retry);
            await run.RecordAsync(promote ? "promoted" : "kept-champion", promote ? "completed" : "rejected", promote ? $"{version} is now Production: {string.Join("; ", reasons)}" : $"kept {production ?? "no model"}; {version} not promoted: {string.Join("; ", reasons.Where(r => !r.StartsWith("pass", StringComparison.Ordinal)))}");
            return new RetrainOutcome(input.RunId, version, promote, production, reasons, evaluation.Candidate, evaluation.Champion, tuning);
        }
        catch (TaskFailedException e)
        {
            await run.RecordAsync("failed", "failed", e.Message);
            throw;
        }
    }

    private static async Task<ApprovalDecision> WaitForApprovalAsync(TaskOrchestrationContext context, TimeSpan timeout)
    {
        try
        {
            return await context.WaitForExternalEvent<ApprovalDecision>(ApprovalEvent, timeout);
        }
        catch (TaskCanceledException)
        {
            return new ApprovalDecision(false);
        }
    }

    private static string Comment(ApprovalDecision d) => string.IsNullOrWhiteSpace(d.Comment) ? string.Empty : $" ({d.Comment})";

    private static string Text(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}

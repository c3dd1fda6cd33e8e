using Azure;
using Azure.Data.Tables;

namespace ChurnFlows.Lifecycle.Registry;

/// <summary>
/// Staging: versions that serve the canary share of predictions. Any number of versions may be in
/// Staging; serving sends the share to the newest one (by registration time). Promoting a Staging
/// version makes it Production and so ends its canary; moving it to None or Archived ends it too.
/// </summary>
public sealed partial class ModelRegistry
{
    /// <summary>Returns the newest Staging version (by registration time), or null when none is in Staging.</summary>
    public async Task<ModelRecord?> GetStagingAsync(CancellationToken cancellationToken = default) =>
        (await QueryAsync(ModelStage.Staging, cancellationToken).ConfigureAwait(false)).Select(e => FromEntity(e)).OrderByDescending(r => r.CreatedAt).FirstOrDefault();

    /// <summary>
    /// Moves <paramref name="version"/> to Staging, None or Archived and records the change in the history.
    /// Production is only entered by <see cref="PromoteAsync"/> and only left by promoting another version or
    /// rolling back, so there is always one Production version once there has been one. The update is guarded
    /// by the row's ETag: a promotion racing with it is seen on retry. Moving a version to the stage it is
    /// already in changes nothing.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="stage"/> is Production.</exception>
    /// <exception cref="KeyNotFoundException">No such version is registered.</exception>
    /// <exception cref="InvalidOperationException">The version is in Production.</exception>
    public async Task<StageChange> SetStageAsync(string version, ModelStage stage, string reason, CancellationToken cancellationToken = default)
    {
        if (stage == ModelStage.Production || !Enum.IsDefined(stage))
        {
            throw new ArgumentException($"A version can be moved to Staging, None or Archived here (got {stage}); Production is entered by promotion, which archives the current Production version atomically.", nameof(stage));
        }

        for (var attempt = 0; ; attempt++)
        {
            var target = await GetEntityAsync(version, cancellationToken).ConfigureAwait(false)
                ?? throw new KeyNotFoundException($"Model version '{version}' is not registered.");
            var current = FromEntity(target).Stage;
            if (current == ModelStage.Production)
            {
                throw new InvalidOperationException($"Model version '{version}' is in Production; promote another version or roll back to move it.");
            }

            var now = _time.GetUtcNow();
            if (current == stage)
            {
                return new StageChange(version, null, reason, now, stage);
            }

            try
            {
                await table.UpdateEntityAsync(new TableEntity(Partition, version) { ["Stage"] = stage.ToString(), [StampOf(stage)] = now }, target.ETag, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException e) when (e.Status == 412 && attempt < 5)
            {
                continue;
            }

            await AppendHistoryAsync(now, version, null, stage, reason, cancellationToken).ConfigureAwait(false);
            return new StageChange(version, null, reason, now, stage);
        }
    }

    private static string StampOf(ModelStage stage) => stage switch
    {
        ModelStage.Staging => "StagedAt",
        ModelStage.Archived => "ArchivedAt",
        _ => "UnstagedAt",
    };
}

using Azure;

namespace ChurnFlows.Storage.Tables;

/// <summary>What one operation of an entity group transaction does.</summary>
public enum TableTransactionActionType
{
    /// <summary>Insert; fails if the entity exists.</summary>
    Add,

    /// <summary>Insert or merge.</summary>
    UpsertMerge,

    /// <summary>Insert or replace.</summary>
    UpsertReplace,

    /// <summary>Merge into an existing entity with the given ETag.</summary>
    UpdateMerge,

    /// <summary>Replace an existing entity with the given ETag.</summary>
    UpdateReplace,

    /// <summary>Delete an existing entity with the given ETag.</summary>
    Delete,
}

/// <summary>One operation of an entity group transaction.</summary>
/// <param name="ActionType">What to do.</param>
/// <param name="Entity">The entity (for deletes only its keys matter).</param>
/// <param name="ETag">The If-Match value for updates and deletes; default means any version.</param>
public sealed record TableTransactionAction(TableTransactionActionType ActionType, TableEntity Entity, ETag ETag = default);

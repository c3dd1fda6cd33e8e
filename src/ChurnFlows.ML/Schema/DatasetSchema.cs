using System.Text.Json;
using System.Text.Json.Serialization;

namespace ChurnFlows.ML.Schema;

/// <summary>
/// The columns a dataset has: names, kinds, nullability. The standard churn schema is the default;
/// a user's own CSV works by supplying a schema file (JSON) instead of code.
/// </summary>
public sealed record DatasetSchema
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        WriteIndented = true,
    };

    /// <summary>Gets the columns.</summary>
    public required IReadOnlyList<ColumnSchema> Columns { get; init; }

    /// <summary>Gets the label column.</summary>
    [JsonIgnore]
    public ColumnSchema Label => Columns.Single(c => c.Kind == ColumnKind.Label);

    /// <summary>Gets the standard churn schema.</summary>
    public static DatasetSchema StandardChurn { get; } = new()
    {
        Columns =
        [
            new() { Name = "customer_id", Kind = ColumnKind.Id, Nullable = false },
            new() { Name = "signup_date", Kind = ColumnKind.Date },
            new() { Name = "total_purchases", Kind = ColumnKind.Integer },
            new() { Name = "total_spent", Kind = ColumnKind.Numeric },
            new() { Name = "customer_lifetime_months", Kind = ColumnKind.Integer },
            new() { Name = "support_tickets", Kind = ColumnKind.Integer },
            new() { Name = "support_resolution_time", Kind = ColumnKind.Numeric },
            new() { Name = "emails_sent", Kind = ColumnKind.Integer },
            new() { Name = "emails_opened", Kind = ColumnKind.Integer },
            new() { Name = "last_purchase_date", Kind = ColumnKind.Date },
            new() { Name = "last_login_date", Kind = ColumnKind.Date },
            new() { Name = "logins_last_30_days", Kind = ColumnKind.Integer },
            new() { Name = "products_owned", Kind = ColumnKind.Integer },
            new() { Name = "feature_usage_score", Kind = ColumnKind.Numeric },
            new() { Name = "churn", Kind = ColumnKind.Label, Nullable = false },
        ],
    };

    /// <summary>Finds a column by name (ordinal, case-sensitive), or null.</summary>
    public ColumnSchema? Find(string name) => Columns.FirstOrDefault(c => c.Name == name);

    /// <summary>Serializes the schema to JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Parses and checks a schema file.</summary>
    /// <exception cref="FormatException">The JSON is malformed or breaks a rule; the message names the column and field.</exception>
    public static DatasetSchema FromJson(string json)
    {
        DatasetSchema? schema;
        try
        {
            schema = JsonSerializer.Deserialize<DatasetSchema>(json, Json);
        }
        catch (JsonException e)
        {
            throw new FormatException($"The schema is not valid: {e.Message}", e);
        }

        if (schema?.Columns is null || schema.Columns.Count == 0)
        {
            throw new FormatException("The schema has no 'columns'.");
        }

        schema.Check();
        return schema;
    }

    private void Check()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Columns.Count; i++)
        {
            var c = Columns[i];
            if (string.IsNullOrWhiteSpace(c.Name))
            {
                throw new FormatException($"columns[{i}].name is empty.");
            }

            if (!names.Add(c.Name))
            {
                throw new FormatException($"Column '{c.Name}' appears twice.");
            }

            if (c.AllowedValues is not null && c.Kind != ColumnKind.Categorical)
            {
                throw new FormatException($"Column '{c.Name}': allowedValues applies only to categorical columns.");
            }
        }

        var labels = Columns.Count(c => c.Kind == ColumnKind.Label);
        if (labels != 1)
        {
            throw new FormatException($"The schema must have exactly one label column; it has {labels}.");
        }
    }
}

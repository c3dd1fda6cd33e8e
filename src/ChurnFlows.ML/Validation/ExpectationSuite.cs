using System.Text.Json;
using ChurnFlows.ML.Schema;

namespace ChurnFlows.ML.Validation;

/// <summary>A named list of expectations, loaded from JSON or built for a schema.</summary>
public sealed record ExpectationSuite
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };
    private static readonly string[] KnownTypes = ["requiredColumns", "maxMalformedRatio", "notNull", "maxNullRatio", "between", "inSet", "unique", "minRows", "positiveRatio"];

    /// <summary>Gets the suite name.</summary>
    public string Name { get; init; } = "default";

    /// <summary>Gets the expectations.</summary>
    public required IReadOnlyList<Expectation> Expectations { get; init; }

    /// <summary>The default suite for a schema: required columns, ≤ 1 % malformed rows, id not null and unique, ≥ 100 rows, positive rate 1–90 %, numeric columns ≤ 50 % missing; for the standard churn schema also value ranges.</summary>
    public static ExpectationSuite DefaultFor(DatasetSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var list = new List<Expectation>
        {
            new() { Type = "requiredColumns" },
            new() { Type = "maxMalformedRatio", Max = 0.01 },
            new() { Type = "minRows", Min = 100 },
            new() { Type = "positiveRatio", Min = 0.01, Max = 0.9 },
        };
        foreach (var id in schema.Columns.Where(c => c.Kind == ColumnKind.Id))
        {
            list.Add(new() { Type = "unique", Column = id.Name });
        }

        foreach (var c in schema.Columns.Where(c => c.Kind is ColumnKind.Numeric or ColumnKind.Integer or ColumnKind.Date))
        {
            list.Add(new() { Type = "maxNullRatio", Column = c.Name, Max = 0.5 });
        }

        if (ReferenceEquals(schema, DatasetSchema.StandardChurn))
        {
            foreach (var c in new[] { "total_purchases", "total_spent", "support_tickets", "support_resolution_time", "emails_sent", "emails_opened", "logins_last_30_days", "products_owned" })
            {
                list.Add(new() { Type = "between", Column = c, Min = 0 });
            }

            list.Add(new() { Type = "between", Column = "customer_lifetime_months", Min = 0, Max = 1200 });
            list.Add(new() { Type = "between", Column = "feature_usage_score", Min = 0, Max = 100 });
        }

        return new ExpectationSuite { Name = "default", Expectations = list };
    }

    /// <summary>Parses and checks a suite file.</summary>
    /// <exception cref="FormatException">The JSON is malformed or an expectation is incomplete; the message names it.</exception>
    public static ExpectationSuite FromJson(string json)
    {
        ExpectationSuite? suite;
        try
        {
            suite = JsonSerializer.Deserialize<ExpectationSuite>(json, Json);
        }
        catch (JsonException e)
        {
            throw new FormatException($"The expectation suite is not valid: {e.Message}", e);
        }

        if (suite?.Expectations is null)
        {
            throw new FormatException("The expectation suite has no 'expectations'.");
        }

        for (var i = 0; i < suite.Expectations.Count; i++)
        {
            var e = suite.Expectations[i];
            var where = $"expectations[{i}]";
            if (!KnownTypes.Contains(e.Type))
            {
                throw new FormatException($"{where}.type '{e.Type}' is not one of {string.Join(", ", KnownTypes)}.");
            }

            if (e.Type is "notNull" or "maxNullRatio" or "between" or "inSet" or "unique" && string.IsNullOrEmpty(e.Column))
            {
                throw new FormatException($"{where} ({e.Type}) needs a 'column'.");
            }

            if ((e.Type is "maxNullRatio" or "maxMalformedRatio" && e.Max is null) || (e.Type == "minRows" && e.Min is null) || (e.Type is "between" or "positiveRatio" && e.Min is null && e.Max is null))
            {
                throw new FormatException($"{where} ({e.Type}) is missing its bound ('min'/'max').");
            }

            if (e.Type == "inSet" && (e.Values is null || e.Values.Count == 0))
            {
                throw new FormatException($"{where} (inSet) needs a non-empty 'values'.");
            }
        }

        return suite;
    }

    /// <summary>Serializes the suite.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);
}

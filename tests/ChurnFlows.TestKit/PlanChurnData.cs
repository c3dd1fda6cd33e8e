using System.Globalization;
using System.Text;
using ChurnFlows.ML.Schema;

namespace ChurnFlows.TestKit;

/// <summary>
/// A user's own churn CSV in a schema of its own (not the standard churn schema): the subscription plan,
/// a categorical column, carries most of the signal; tenure and fee are numbers with a weaker effect.
/// Deterministic for a seed; about 2 % of plans are left empty.
/// </summary>
public static class PlanChurnData
{
    /// <summary>The schema file a user would supply for this CSV.</summary>
    public const string SchemaJson = """
        {"columns":[
          {"name":"account","kind":"id","nullable":false},
          {"name":"plan","kind":"categorical"},
          {"name":"tenure_months","kind":"integer"},
          {"name":"monthly_fee","kind":"numeric"},
          {"name":"churned","kind":"label","nullable":false}]}
        """;

    /// <summary>The plans: how common each is and how it moves the churn log-odds (not monotone in either order).</summary>
    public static IReadOnlyList<(string Plan, double Weight, double Effect)> Plans { get; } =
    [
        ("basic", 30, 1.0), ("standard", 25, -0.4), ("premium", 15, -1.8), ("student", 10, 1.8),
        ("family", 8, -1.0), ("trial", 7, 2.6), ("business", 4, -2.4), ("legacy", 1, 0.6),
    ];

    /// <summary>Gets the parsed schema.</summary>
    public static DatasetSchema Schema => DatasetSchema.FromJson(SchemaJson);

    /// <summary>Returns a CSV of <paramref name="rows"/> accounts.</summary>
    public static string ToCsv(int rows, int seed)
    {
        var random = new Random(seed);
        var totalWeight = Plans.Sum(p => p.Weight);
        var csv = new StringBuilder("account,plan,tenure_months,monthly_fee,churned\n");
        for (var i = 0; i < rows; i++)
        {
            var plan = Plans[^1];
            var pick = random.NextDouble() * totalWeight;
            foreach (var candidate in Plans)
            {
                if ((pick -= candidate.Weight) <= 0)
                {
                    plan = candidate;
                    break;
                }
            }

            var missing = random.NextDouble() < 0.02;
            var tenure = random.Next(1, 61);
            var fee = 10 + (random.NextDouble() * 40);
            var logit = -0.6 + plan.Effect - (0.03 * tenure) + (0.01 * (fee - 30));
            var churned = random.NextDouble() < 1 / (1 + Math.Exp(-logit));
            csv.Append(CultureInfo.InvariantCulture, $"A{i:D6},{(missing ? string.Empty : plan.Plan)},{tenure},{fee:F2},{(churned ? 1 : 0)}\n");
        }

        return csv.ToString();
    }
}

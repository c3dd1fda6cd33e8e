using System.Globalization;
using ChurnFlows.ML.Data;

namespace ChurnFlows.ML.Synthetic;

/// <summary>
/// Generates realistic churn data in the standard schema, deterministically for a seed: a latent
/// engagement drives logins, usage, purchases and email opens; churn follows a logistic model with
/// non-linear effects (login recency threshold, tickets × slow resolution, new-customer risk,
/// usage saturation) plus noise, about 20 % positive, with a few missing cells.
/// </summary>
public static class SyntheticChurnGenerator
{
    /// <summary>The CSV header of the standard churn schema.</summary>
    public const string Header = "customer_id,signup_date,total_purchases,total_spent,customer_lifetime_months,support_tickets,support_resolution_time,emails_sent,emails_opened,last_purchase_date,last_login_date,logins_last_30_days,products_owned,feature_usage_score,churn";

    /// <summary>Writes the CSV (header + rows) to <paramref name="writer"/>.</summary>
    public static void WriteCsv(TextWriter writer, SyntheticChurnOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        options ??= new SyntheticChurnOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(options.Rows);
        var random = new Random(options.Seed);
        writer.Write(Header);
        writer.Write('\n');
        Span<char> buffer = stackalloc char[32];
        for (var i = 0; i < options.Rows; i++)
        {
            var c = Customer.Sample(random, options);
            writer.Write('C');
            writer.Write((options.FirstCustomerNumber + i).ToString("D7", CultureInfo.InvariantCulture));
            Date(writer, options.AsOf.AddDays(-c.TenureDays));
            Number(writer, c.Purchases, "0", buffer);
            Number(writer, c.Spent, "0.00", buffer);
            Number(writer, c.LifetimeMonths, "0", buffer);
            Number(writer, c.Tickets, "0", buffer);
            Number(writer, c.ResolutionHours, "0.0", buffer);
            Number(writer, c.EmailsSent, "0", buffer);
            Number(writer, c.EmailsOpened, "0", buffer);
            Date(writer, double.IsNaN(c.DaysSincePurchase) ? null : options.AsOf.AddDays(-(int)c.DaysSincePurchase));
            Date(writer, options.AsOf.AddDays(-(int)c.DaysSinceLogin));
            Number(writer, c.Logins30, "0", buffer);
            Number(writer, c.Products, "0", buffer);
            Number(writer, c.UsageScore, "0.0", buffer);
            writer.Write(c.Churned ? ",1\n" : ",0\n");
        }
    }

    /// <summary>Writes the CSV to a file.</summary>
    public static void WriteCsvFile(string path, SyntheticChurnOptions? options = null)
    {
        using var writer = new StreamWriter(path, append: false, new System.Text.UTF8Encoding(false), 1 << 16);
        WriteCsv(writer, options);
    }

    /// <summary>Returns the CSV as a string.</summary>
    public static string ToCsv(SyntheticChurnOptions? options = null)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        WriteCsv(writer, options);
        return writer.ToString();
    }

    /// <summary>Generates a dataset in the standard schema.</summary>
    public static TabularDataset Generate(SyntheticChurnOptions? options = null) =>
        DatasetReader.Read(new StringReader(ToCsv(options))).Dataset;

    private static void Number(TextWriter writer, double value, string format, Span<char> buffer)
    {
        writer.Write(',');
        if (!double.IsNaN(value) && value.TryFormat(buffer, out var written, format, CultureInfo.InvariantCulture))
        {
            writer.Write(buffer[..written]);
        }
    }

    private static void Date(TextWriter writer, DateOnly? date)
    {
        writer.Write(',');
        if (date is { } d)
        {
            writer.Write(d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }
    }
}

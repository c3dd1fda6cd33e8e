namespace ChurnFlows.ML.Synthetic;

/// <summary>One sampled customer: the generative story behind a synthetic row.</summary>
internal readonly record struct Customer(
    int TenureDays, double Purchases, double Spent, double LifetimeMonths, double Tickets, double ResolutionHours,
    double EmailsSent, double EmailsOpened, double DaysSincePurchase, double DaysSinceLogin, double Logins30,
    double Products, double UsageScore, bool Churned)
{
    private const double Strength = 2.3;
    private const double Intercept = 9.0;

    public static Customer Sample(Random r, SyntheticChurnOptions o)
    {
        var engagement = Normal(r) - 0.6 * o.Drift;
        var lifetime = 1 + (int)(71 * Math.Pow(r.NextDouble(), 1.3));
        var tenureDays = lifetime * 30 + r.Next(0, 30);
        var products = Math.Min(6, 1 + Poisson(r, Math.Exp(0.3 * engagement) * 0.9));
        var purchaseRate = Math.Exp(-0.3 + 0.45 * engagement + 0.3 * Normal(r));
        var purchases = Poisson(r, purchaseRate * lifetime);
        var ticket = Math.Exp(3.9 + 0.35 * Normal(r) + 0.1 * products);
        var spent = purchases * ticket;
        var dissatisfaction = Math.Exp(0.5 * Normal(r) + 0.4 * o.Drift);
        var tickets = Poisson(r, 0.25 * Math.Pow(lifetime, 0.6) * dissatisfaction);
        var resolution = tickets == 0 ? double.NaN : Math.Exp(3.0 + 0.6 * Normal(r) + 0.3 * o.Drift);
        var emailsSent = Poisson(r, 3.5 * lifetime);
        var openRate = Sigmoid(-0.6 + 0.9 * engagement + 0.5 * Normal(r));
        var emailsOpened = Binomial(r, emailsSent, openRate);
        var loginRate = Math.Exp(1.6 + 0.8 * engagement + 0.3 * Normal(r));
        var logins = Poisson(r, loginRate);
        var daysSinceLogin = logins > 0 ? r.Next(0, 30) * Math.Exp(-0.05 * logins) : 30 + Exponential(r, 40 * Math.Exp(-0.5 * engagement));
        var daysSincePurchase = purchases == 0 ? double.NaN : Exponential(r, 30 / Math.Max(0.05, purchaseRate));
        var usage = Math.Clamp(50 + 18 * engagement + 10 * Normal(r) - 8 * o.Drift, 0, 100);

        var recency = Math.Min(daysSinceLogin, 180);
        var effects = -3.15
            + (daysSinceLogin > 30 ? 1.5 : 0) + 0.012 * recency
            + (tickets >= 3 && resolution > 36 ? 1.3 : 0) + 0.15 * Math.Min(tickets, 8)
            + (lifetime < 6 ? 0.9 : 0) - 0.35 * Math.Log(lifetime)
            - 2.2 * Sigmoid((usage - 45) / 8)
            - 1.2 * (emailsSent > 0 ? emailsOpened / emailsSent : 0.3)
            - 0.35 * (products - 1)
            + 0.2 * o.Drift;
        var churned = r.NextDouble() < Sigmoid(Strength * effects + Intercept + 0.3 * Normal(r));

        return new Customer(
            tenureDays, purchases, spent, lifetime, tickets, resolution, emailsSent, emailsOpened,
            Maybe(r, o, daysSincePurchase), daysSinceLogin, logins, products, Maybe(r, o, usage), churned);
    }

    private static double Maybe(Random r, SyntheticChurnOptions o, double value) => r.NextDouble() < o.MissingRate ? double.NaN : value;

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    private static double Normal(Random r) =>
        Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());

    private static double Exponential(Random r, double mean) => -mean * Math.Log(1 - r.NextDouble());

    private static int Poisson(Random r, double mean)
    {
        if (mean > 30)
        {
            return Math.Max(0, (int)Math.Round(mean + Math.Sqrt(mean) * Normal(r)));
        }

        var limit = Math.Exp(-mean);
        var k = 0;
        for (var p = r.NextDouble(); p > limit; p *= r.NextDouble())
        {
            k++;
        }

        return k;
    }

    private static double Binomial(Random r, double n, double p) =>
        n <= 0 ? 0 : Math.Clamp(Math.Round(n * p + Math.Sqrt(n * p * (1 - p)) * Normal(r)), 0, n);
}

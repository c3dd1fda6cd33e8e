using System.Globalization;
using ChurnFlows.Functions.Hosting.Standalone;

namespace ChurnFlows.Functions.Tests.Hosting;

public sealed class NcrontabScheduleTests
{
    private static DateTime At(string text) => DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

    [Theory]
    [InlineData("0 */5 * * * *", "2026-03-01T10:02:30Z", "2026-03-01T10:05:00Z")]
    [InlineData("0 */5 * * * *", "2026-03-01T10:05:00Z", "2026-03-01T10:10:00Z")]
    [InlineData("0 0 * * * *", "2026-03-01T10:00:00Z", "2026-03-01T11:00:00Z")]
    [InlineData("0 0 */2 * * *", "2026-03-01T11:00:00Z", "2026-03-01T12:00:00Z")]
    [InlineData("0 0 9-17 * * *", "2026-03-01T17:30:00Z", "2026-03-02T09:00:00Z")]
    [InlineData("0 30 9 * * *", "2026-03-01T09:30:00Z", "2026-03-02T09:30:00Z")]
    [InlineData("0 30 9 * * 1-5", "2026-03-06T10:00:00Z", "2026-03-09T09:30:00Z")]
    [InlineData("0 30 9 * * MON-FRI", "2026-03-06T10:00:00Z", "2026-03-09T09:30:00Z")]
    [InlineData("0 0 0 * * 0", "2026-03-02T00:00:00Z", "2026-03-08T00:00:00Z")]
    [InlineData("0 0 0 * * 7", "2026-03-02T00:00:00Z", "2026-03-08T00:00:00Z")]
    [InlineData("0 0 0 * * SUN", "2026-03-02T00:00:00Z", "2026-03-08T00:00:00Z")]
    [InlineData("0 0 0 1 * *", "2026-03-15T00:00:00Z", "2026-04-01T00:00:00Z")]
    [InlineData("0 0 0 1 1 *", "2026-03-15T00:00:00Z", "2027-01-01T00:00:00Z")]
    [InlineData("0 0 0 1 JAN,JUL *", "2026-03-15T00:00:00Z", "2026-07-01T00:00:00Z")]
    [InlineData("0 0 0 29 2 *", "2026-03-01T00:00:00Z", "2028-02-29T00:00:00Z")]
    [InlineData("*/15 * * * * *", "2026-03-01T10:00:14.900Z", "2026-03-01T10:00:15Z")]
    [InlineData("5,10 * * * * *", "2026-03-01T10:00:07Z", "2026-03-01T10:00:10Z")]
    [InlineData("30/10 * * * * *", "2026-03-01T10:00:55Z", "2026-03-01T10:01:30Z")]
    [InlineData("0 0 0 31 12 *", "2026-12-31T00:00:00Z", "2027-12-31T00:00:00Z")]
    [InlineData("0 0 0 13 * FRI", "2026-03-01T00:00:00Z", "2026-03-13T00:00:00Z")]
    public void GetNextOccurrence_KnownSchedule_ReturnsExpectedTime(string expression, string after, string expected)
    {
        var next = NcrontabSchedule.Parse(expression).GetNextOccurrence(At(after));

        Assert.Equal(At(expected), next);
        Assert.Equal(DateTimeKind.Utc, next!.Value.Kind);
    }

    [Fact]
    public void GetNextOccurrence_ImpossibleDate_ReturnsNull() =>
        Assert.Null(NcrontabSchedule.Parse("0 0 0 31 2 *").GetNextOccurrence(At("2026-01-01T00:00:00Z")));

    [Theory]
    [InlineData("0 */5 * * *", "5 fields")]
    [InlineData("60 * * * * *", "second field '60': 60 is outside 0-59")]
    [InlineData("0 0 24 * * *", "hour field '24'")]
    [InlineData("0 0 0 0 * *", "day field '0'")]
    [InlineData("0 0 0 * 13 *", "month field '13'")]
    [InlineData("0 0 0 * * 8", "day-of-week field '8'")]
    [InlineData("0 */0 * * * *", "minute field '*/0': step '0'")]
    [InlineData("0 10-5 * * * *", "runs backwards")]
    [InlineData("0 0 0 * FOO *", "'FOO' is not a value")]
    [InlineData("@daily", "1 fields")]
    public void Parse_BadExpression_ThrowsNamingTheField(string expression, string expectedInMessage)
    {
        var error = Assert.Throws<FormatException>(() => NcrontabSchedule.Parse(expression));

        Assert.Contains(expectedInMessage, error.Message, StringComparison.Ordinal);
    }
}

using ChurnFlows.Storage.Tables;

namespace ChurnFlows.Storage.Tests.Tables;

public class TableKeyTests
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a/b", "a^0b")]
    [InlineData("a\\b#c?d^e", "a^1b^2c^3d^^e")]
    public void Escape_ForbiddenCharacters_AreReplacedReversibly(string raw, string escaped)
    {
        Assert.Equal(escaped, TableKey.Escape(raw));
        Assert.Equal(raw, TableKey.Unescape(escaped));
    }

    [Fact]
    public void Unescape_LoneCaret_Throws()
    {
        Assert.Throws<FormatException>(() => TableKey.Unescape("abc^"));
    }
}

using System.Text;
using ChurnFlows.ML.Data;
using ChurnFlows.ML.Schema;
using Xunit;

namespace ChurnFlows.ML.Tests.Data;

public class DatasetReaderTests
{
    private static readonly DatasetSchema Small = DatasetSchema.FromJson("""
        {"columns":[
          {"name":"id","kind":"id","nullable":false},
          {"name":"amount","kind":"numeric"},
          {"name":"visits","kind":"integer","nullable":false},
          {"name":"plan","kind":"categorical","allowedValues":["basic","pro"]},
          {"name":"joined","kind":"date"},
          {"name":"left","kind":"label","nullable":false}]}
        """);

    private static DatasetReadResult Read(string csv) => DatasetReader.Read(new StringReader(csv), Small);

    [Fact]
    public void Read_QuotesCrlfAnyOrderAndExtraColumns_ParsesEveryRow()
    {
        var csv = "left,extra,id,amount,visits,plan,joined\r\nyes,\"a, \"\"quoted\"\"\nvalue\",A1,\"1,5\",3,pro,2024-01-31\r\n0,x,A2,,0,basic,\r\n";

        var read = Read(csv.Replace("\"1,5\"", "1.5", StringComparison.Ordinal));

        Assert.Equal(2, read.Report.AcceptedCount);
        Assert.Equal(["extra"], read.Report.IgnoredColumns);
        Assert.Equal([1f, 0f], read.Dataset.Labels);
        Assert.Equal(1.5, read.Dataset.Columns["amount"][0]);
        Assert.True(double.IsNaN(read.Dataset.Columns["amount"][1]));
        Assert.Equal(["pro", "basic"], read.Dataset.Vocabularies["plan"]);
        Assert.Equal((new DateTime(2024, 1, 31) - DateTime.UnixEpoch).TotalDays, read.Dataset.Columns["joined"][0]);
        Assert.Equal([2, 4], read.Dataset.SourceLines);
    }

    [Fact]
    public void Read_MalformedRows_AreRejectedWithLineAndReason()
    {
        var csv = "id,amount,visits,plan,joined,left\nA1,1,1,basic,2024-01-01,1\nA2,abc,1,basic,2024-01-01,0\nA3,1,1.5,basic,2024-01-01,0\nA4,1,1,gold,2024-01-01,0\nA5,1,1,basic,31/01/2024,0\nA6,1,1,basic,2024-01-01,maybe\nA7,1,1\n,1,1,basic,2024-01-01,0\n";

        var report = Read(csv).Report;

        Assert.Equal(8, report.RecordCount);
        Assert.Equal(1, report.AcceptedCount);
        Assert.Equal(7, report.MalformedCount);
        Assert.Collection(report.MalformedRows,
            m => Assert.Equal((3, "amount"), (m.Line, m.Column)),
            m => Assert.Contains("whole number", m.Reason, StringComparison.Ordinal),
            m => Assert.Contains("not one of basic, pro", m.Reason, StringComparison.Ordinal),
            m => Assert.Contains("not a date", m.Reason, StringComparison.Ordinal),
            m => Assert.Equal((7, "left"), (m.Line, m.Column)),
            m => Assert.Contains("3 fields", m.Reason, StringComparison.Ordinal),
            m => Assert.Contains("id is empty", m.Reason, StringComparison.Ordinal));
    }

    [Fact]
    public void Read_MissingRequiredColumn_ReportsItAndReadsNothing()
    {
        var read = Read("id,amount,left\nA1,1,1\n");
        Assert.False(read.Report.IsReadable);
        Assert.Equal(["visits", "plan", "joined"], read.Report.MissingColumns);
        Assert.Equal(0, read.Dataset.RowCount);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n")]
    public void Read_EmptyFile_ReportsFileError(string csv)
    {
        Assert.Contains("empty", Read(csv).Report.FileError, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_HeaderOnlyWithBom_ZeroRowsNoErrors()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("id,amount,visits,plan,joined,left\n")).ToArray();
        var read = DatasetReader.Read(new MemoryStream(bytes), Small);
        Assert.True(read.Report.IsReadable);
        Assert.Equal(0, read.Dataset.RowCount);
    }

    [Fact]
    public void Read_UnclosedQuote_IsReportedNotThrown()
    {
        var report = Read("id,amount,visits,plan,joined,left\nA1,\"1,1,basic,2024-01-01,1\n").Report;
        Assert.Equal(1, report.MalformedCount);
        Assert.Contains("not closed", report.MalformedRows[0].Reason, StringComparison.Ordinal);
    }
}

namespace ChurnFlows.ML.Linear;

/// <summary>
/// Newton's method for <c>mean weighted log loss + λ/2·‖β‖²</c> over standardized columns (the last
/// coefficient is the unpenalized intercept). Gradient and Hessian are summed per fixed row block and
/// the blocks are added in order, so the result does not depend on the thread count.
/// </summary>
internal sealed class NewtonProblem
{
    private readonly double[][] _z;
    private readonly float[] _y;
    private readonly float[]? _w;
    private readonly double _lambda;
    private readonly int _blockRows;
    private readonly ParallelOptions _parallel;
    private readonly int _d;
    private readonly int _rows;
    private readonly double _totalWeight;

    public NewtonProblem(double[][] z, float[] y, float[]? w, double lambda, int blockRows, int threads)
    {
        _z = z;
        _y = y;
        _w = w;
        _lambda = lambda;
        _blockRows = blockRows;
        _parallel = new ParallelOptions { MaxDegreeOfParallelism = threads };
        _d = z.Length + 1;
        _rows = y.Length;
        double total = 0;
        for (var i = 0; i < _rows; i++)
        {
            total += w?[i] ?? 1.0;
        }

        _totalWeight = total > 0 ? total : 1.0;
    }

    public double[] Solve(int maxIterations, double tolerance)
    {
        var beta = new double[_d];
        var loss = Loss(beta);
        for (var iteration = 0; iteration < maxIterations; iteration++)
        {
            var (gradient, hessian) = GradientAndHessian(beta);
            var largest = 0.0;
            foreach (var g in gradient)
            {
                largest = Math.Max(largest, Math.Abs(g));
            }

            if (largest < tolerance)
            {
                break;
            }

            var step = CholeskySolve(hessian, gradient);
            var candidate = new double[_d];
            var accepted = false;
            for (var halving = 0; halving < 30 && !accepted; halving++)
            {
                var scale = Math.Pow(0.5, halving);
                for (var k = 0; k < _d; k++)
                {
                    candidate[k] = beta[k] - (scale * step[k]);
                }

                var candidateLoss = Loss(candidate);
                if (candidateLoss <= loss)
                {
                    accepted = true;
                    loss = candidateLoss;
                    (beta, candidate) = (candidate, beta);
                }
            }

            if (!accepted)
            {
                break;
            }
        }

        return beta;
    }

    private double Loss(double[] beta)
    {
        var partial = new double[BlockCount];
        Parallel.For(0, BlockCount, _parallel, b =>
        {
            double sum = 0;
            var end = Math.Min(_rows, (b + 1) * _blockRows);
            for (var i = b * _blockRows; i < end; i++)
            {
                var s = Score(beta, i);
                var margin = _y[i] > 0.5f ? s : -s;
                var rowLoss = margin > 0 ? Math.Log(1 + Math.Exp(-margin)) : -margin + Math.Log(1 + Math.Exp(margin));
                sum += rowLoss * (_w?[i] ?? 1.0);
            }

            partial[b] = sum;
        });
        double total = 0;
        foreach (var p in partial)
        {
            total += p;
        }

        double penalty = 0;
        for (var k = 0; k < _d - 1; k++)
        {
            penalty += beta[k] * beta[k];
        }

        return (total / _totalWeight) + (0.5 * _lambda * penalty);
    }

    private (double[] Gradient, double[] Hessian) GradientAndHessian(double[] beta)
    {
        var d = _d;
        var partials = new double[BlockCount][];
        Parallel.For(0, BlockCount, _parallel, b =>
        {
            // Layout: d gradient entries, then the d×d Hessian (upper triangle filled).
            var acc = new double[d + (d * d)];
            var x = new double[d];
            x[d - 1] = 1.0;
            var end = Math.Min(_rows, (b + 1) * _blockRows);
            for (var i = b * _blockRows; i < end; i++)
            {
                for (var k = 0; k < d - 1; k++)
                {
                    x[k] = _z[k][i];
                }

                var p = 1.0 / (1.0 + Math.Exp(-Score(beta, i)));
                var weight = _w?[i] ?? 1.0;
                var g = (p - _y[i]) * weight;
                var h = p * (1 - p) * weight;
                for (var k = 0; k < d; k++)
                {
                    acc[k] += g * x[k];
                    var hx = h * x[k];
                    var row = d + (k * d);
                    for (var l = k; l < d; l++)
                    {
                        acc[row + l] += hx * x[l];
                    }
                }
            }

            partials[b] = acc;
        });

        var gradient = new double[d];
        var hessian = new double[d * d];
        foreach (var acc in partials)
        {
            for (var k = 0; k < d; k++)
            {
                gradient[k] += acc[k];
            }

            for (var k = 0; k < d * d; k++)
            {
                hessian[k] += acc[d + k];
            }
        }

        for (var k = 0; k < d; k++)
        {
            gradient[k] /= _totalWeight;
            for (var l = k; l < d; l++)
            {
                hessian[(k * d) + l] /= _totalWeight;
                hessian[(l * d) + k] = hessian[(k * d) + l];
            }

            if (k < d - 1)
            {
                gradient[k] += _lambda * beta[k];
                hessian[(k * d) + k] += _lambda;
            }
        }

        return (gradient, hessian);
    }

    private int BlockCount => (_rows + _blockRows - 1) / _blockRows;

    private double Score(double[] beta, int row)
    {
        var s = beta[_d - 1];
        for (var k = 0; k < _d - 1; k++)
        {
            s += beta[k] * _z[k][row];
        }

        return s;
    }

    /// <summary>Solves <c>A·x = b</c> for a symmetric positive (semi-)definite <c>A</c>, with a small ridge when it is singular.</summary>
    private static double[] CholeskySolve(double[] a, double[] b)
    {
        var n = b.Length;
        var l = new double[n * n];
        var ridge = 0.0;
        for (var attempt = 0; !TryCholesky(a, n, ridge, l); attempt++)
        {
            if (attempt == 12)
            {
                throw new InvalidOperationException("The Newton system is not positive definite even with a ridge; do the features hold infinite values?");
            }

            ridge = ridge == 0 ? 1e-10 : ridge * 100;
        }

        var y = new double[n];
        for (var i = 0; i < n; i++)
        {
            var s = b[i];
            for (var k = 0; k < i; k++)
            {
                s -= l[(i * n) + k] * y[k];
            }

            y[i] = s / l[(i * n) + i];
        }

        var x = new double[n];
        for (var i = n - 1; i >= 0; i--)
        {
            var s = y[i];
            for (var k = i + 1; k < n; k++)
            {
                s -= l[(k * n) + i] * x[k];
            }

            x[i] = s / l[(i * n) + i];
        }

        return x;
    }

    private static bool TryCholesky(double[] a, int n, double ridge, double[] l)
    {
        Array.Clear(l);
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j <= i; j++)
            {
                var s = a[(i * n) + j] + (i == j ? ridge : 0);
                for (var k = 0; k < j; k++)
                {
                    s -= l[(i * n) + k] * l[(j * n) + k];
                }

                if (i == j)
                {
                    if (!(s > 0))
                    {
                        return false;
                    }

                    l[(i * n) + i] = Math.Sqrt(s);
                }
                else
                {
                    l[(i * n) + j] = s / l[(j * n) + j];
                }
            }
        }

        return true;
    }
}

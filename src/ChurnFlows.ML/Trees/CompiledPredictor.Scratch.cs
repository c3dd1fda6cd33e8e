using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ChurnFlows.ML.Trees;

/// <content>The work space of batch scoring.</content>
public sealed partial class CompiledPredictor
{
    /// <summary>
    /// One thread's work space: pinned and 64-byte aligned, because vector loads and stores that straddle cache lines
    /// cost up to three times as much; kept between calls, so warm batches allocate nothing.
    /// </summary>
    private sealed class BlockScratch
    {
        [ThreadStatic]
        private static BlockScratch? t_current;

        private readonly byte[] _buffer;
        private readonly int _start;

        private BlockScratch(int length)
        {
            _buffer = GC.AllocateUninitializedArray<byte>(length + 63, pinned: true);
            _start = (int)(-Marshal.UnsafeAddrOfPinnedArrayElement(_buffer, 0).ToInt64() & 63);
            Length = length;
        }

        /// <summary>Gets the usable bytes.</summary>
        public int Length { get; }

        /// <summary>Returns this thread's work space, grown to at least <paramref name="length"/> bytes.</summary>
        public static BlockScratch ForThisThread(int length) =>
            t_current is { } current && current.Length >= length ? current : t_current = new BlockScratch(length);

        /// <summary>Rounds a length up to whole 64-byte lines, so the next slice starts aligned too.</summary>
        public static int Lines(int bytes) => (bytes + 63) & ~63;

        /// <summary>Returns <paramref name="count"/> elements from <paramref name="offset"/> bytes (a multiple of 64 keeps them aligned).</summary>
        public Span<T> Slice<T>(int offset, int count)
            where T : struct => MemoryMarshal.Cast<byte, T>(_buffer.AsSpan(_start + offset, count * Unsafe.SizeOf<T>()));
    }
}

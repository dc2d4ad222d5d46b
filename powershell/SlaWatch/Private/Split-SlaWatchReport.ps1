function Split-SlaWatchReport {
    <#
        .SYNOPSIS
        Turns a report into one or more request bodies, each a complete valid report no larger than MaxBytes.

        .DESCRIPTION
        The report is cut between files: a folder may continue in the next chunk with its remaining files (its
        header fields are repeated). Every chunk carries the run's runId and its own chunkIndex (1-based) and
        chunkCount; the first chunk also carries the run's "folders" outcomes. Sizes are measured, not estimated: candidate chunks are serialised with the largest possible
        chunk numbers and halved until they fit (O(n log k) serialisations for k chunks; one in the usual case).
        A single file entry that cannot fit on its own is sent alone with a warning.

        Returns objects with Index, Count, Json and Bytes (UTF-8, no BOM).
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        [Parameter(Mandatory = $true)]
        [System.Collections.IDictionary]$Report,

        [Parameter(Mandatory = $true)]
        [ValidateRange(1, [int]::MaxValue)]
        [int]$MaxBytes
    )

    $folders = @($Report.sla_error)
    # Units: one per file, or one per folder that has no files (missing, unreadable, truncated without breach).
    $units = New-Object -TypeName 'System.Collections.Generic.List[int[]]'
    for ($f = 0; $f -lt $folders.Count; $f++) {
        $fileCount = $folders[$f].files.Count
        if ($fileCount -eq 0) {
            $units.Add([int[]]@($f, -1))
        }
        else {
            for ($i = 0; $i -lt $fileCount; $i++) { $units.Add([int[]]@($f, $i)) }
        }
    }

    # Builds the report for units[start..end) with the given chunk numbers.
    $buildChunk = {
        param([int]$Start, [int]$End, [int]$ChunkIndex, [int]$ChunkCount)
        $chunkFolders = New-Object -TypeName 'System.Collections.Generic.List[object]'
        $lastFolder = -1
        $current = $null
        $currentFiles = $null
        for ($u = $Start; $u -lt $End; $u++) {
            $unit = $units[$u]
            if ($unit[0] -ne $lastFolder) {
                if ($null -ne $current) { $current.files = $currentFiles.ToArray() }
                $source = $folders[$unit[0]]
                $current = [ordered]@{}
                foreach ($key in $source.Keys) {
                    if ($key -ne 'files') { $current[$key] = $source[$key] }
                }
                $current.files = @()
                $currentFiles = New-Object -TypeName 'System.Collections.Generic.List[object]'
                $chunkFolders.Add($current)
                $lastFolder = $unit[0]
            }
            # files is always an object[] (never unrolled), so it can be indexed directly.
            if ($unit[1] -ge 0) { $currentFiles.Add($folders[$unit[0]].files[$unit[1]]) }
        }
        if ($null -ne $current) { $current.files = $currentFiles.ToArray() }

        $scanner = [ordered]@{}
        foreach ($key in $Report.scanner.Keys) { $scanner[$key] = $Report.scanner[$key] }
        $scanner.chunkIndex = $ChunkIndex
        $scanner.chunkCount = $ChunkCount
        $chunk = [ordered]@{ sla_error = $chunkFolders.ToArray() }
        # The run's folder outcomes travel once, in the chunk that starts the report.
        if (($Start -eq 0) -and $Report.Contains('folders')) { $chunk.folders = @($Report.folders) }
        $chunk.scanner = $scanner
        $chunk
    }
    $measure = {
        param([int]$Start, [int]$End)
        # 100000 is the contract's largest chunk number: real numbers can only make the body smaller.
        $json = ConvertTo-SlaWatchJson -Report (& $buildChunk $Start $End 100000 100000)
        $script:Utf8NoBom.GetByteCount($json)
    }

    $ranges = New-Object -TypeName 'System.Collections.Generic.List[int[]]'
    $work = New-Object -TypeName 'System.Collections.Generic.Stack[int[]]'
    $work.Push([int[]]@(0, $units.Count))
    while ($work.Count -gt 0) {
        $range = $work.Pop()
        $size = & $measure $range[0] $range[1]
        if ($size -le $MaxBytes) {
            $ranges.Add($range)
        }
        elseif (($range[1] - $range[0]) -le 1) {
            Write-SlaWatchLog -Level Warning -Message "a single report entry is $size bytes, over api.maxRequestBytes ($MaxBytes); sending it alone"
            $ranges.Add($range)
        }
        else {
            $middle = $range[0] + [int][Math]::Floor(($range[1] - $range[0]) / 2)
            # Second half pushed first so the first half is handled first and chunks stay in report order.
            $work.Push([int[]]@($middle, $range[1]))
            $work.Push([int[]]@($range[0], $middle))
        }
    }

    $count = $ranges.Count
    for ($c = 0; $c -lt $count; $c++) {
        $json = ConvertTo-SlaWatchJson -Report (& $buildChunk $ranges[$c][0] $ranges[$c][1] ($c + 1) $count)
        [pscustomobject]@{
            Index = $c + 1
            Count = $count
            Json  = $json
            Bytes = $script:Utf8NoBom.GetBytes($json)
        }
    }
}

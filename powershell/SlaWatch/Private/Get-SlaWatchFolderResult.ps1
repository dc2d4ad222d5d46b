function Get-SlaWatchFolderResult {
    <#
        .SYNOPSIS
        Scans one watched folder and returns its report entry, its outcome (for "folders") and scan statistics.

        .DESCRIPTION
        Its own directory walk instead of Get-ChildItem or EnumerateFiles(AllDirectories):
        - one DirectoryInfo.EnumerateFileSystemInfos() per directory (a single directory listing, attributes and
          times come with it: no per-file stat round trip over SMB);
        - a try/catch per directory, so one access-denied subfolder is logged and skipped while the rest of the
          tree is scanned (.NET Framework's AllDirectories aborts on the first one);
        - reparse points (junctions, symbolic links, mount points) are never descended into, and a symbolic link
          to a file is not counted: a link is not a file that arrived (the Python scanner's rule). Other file
          reparse points (deduplicated, cloud-tiered files) are ordinary files;
        - Hidden/System entries (files and folders) are skipped unless includeHidden;
        - a per-folder file cap and time budget stop the scan and mark the folder truncated.

        Age basis: creation = CreationTimeUtc (off Windows the inode change time, as the Python scanner reads it:
        see Get-SlaWatchUnixStat), lastWrite = LastWriteTimeUtc, newest = the later of the two.
        A file breaches when AsOf - basis > SLA (strictly). Breaches are ordered oldest basis first, then by name
        (ordinal). "fileCount" counts files that passed the filters, up to the cap.
    #>
    [CmdletBinding()]
    [OutputType([hashtable])]
    param(
        # One entry of the settings' Folders (see ConvertTo-SlaWatchSetting).
        [Parameter(Mandatory = $true)]
        [hashtable]$Folder,

        [Parameter(Mandatory = $true)]
        [datetime]$AsOfUtc
    )

    $stopwatch = [System.Diagnostics.Stopwatch]::StartNew()
    $separator = [string][System.IO.Path]::DirectorySeparatorChar
    $wildcardOptions = [System.Management.Automation.WildcardOptions]::IgnoreCase
    $includePatterns = @(foreach ($pattern in $Folder.Include) { New-Object -TypeName System.Management.Automation.WildcardPattern -ArgumentList $pattern, $wildcardOptions })
    $excludePatterns = @(foreach ($pattern in $Folder.Exclude) { New-Object -TypeName System.Management.Automation.WildcardPattern -ArgumentList $pattern, $wildcardOptions })
    $hiddenOrSystem = [System.IO.FileAttributes]::Hidden -bor [System.IO.FileAttributes]::System
    $directoryFlag = [System.IO.FileAttributes]::Directory
    $reparseFlag = [System.IO.FileAttributes]::ReparsePoint
    $sla = [System.TimeSpan]::FromMinutes($Folder.SlaMinutes)
    $budget = [System.TimeSpan]::FromSeconds($Folder.TimeBudgetSeconds)
    $basisKind = $Folder.AgeBasis
    $includeHidden = [bool]$Folder.IncludeHidden
    $recurse = [bool]$Folder.Recurse
    $maxFiles = [int]$Folder.MaxFiles

    $status = 'ok'
    $fileCount = 0
    $truncated = $false
    $skippedDirectories = 0
    $oldest = [datetime]::MaxValue
    $oldestName = $null
    $breaches = New-Object -TypeName 'System.Collections.Generic.List[object]'

    $root = New-Object -TypeName System.IO.DirectoryInfo -ArgumentList (ConvertTo-SlaWatchLongPath -Path $Folder.FullPath)
    # No Exists check up front: on Windows a folder the account may not read can look like a missing one.
    # The root's own enumeration error tells missing (not found) and unreadable (access denied) apart.
    $pending = New-Object -TypeName 'System.Collections.Generic.Stack[object]'
    $pending.Push(@{ Directory = $root; Relative = '' })
    while (($pending.Count -gt 0) -and (-not $truncated)) {
        $current = $pending.Pop()
        try {
            foreach ($entry in $current.Directory.EnumerateFileSystemInfos()) {
                if ($stopwatch.Elapsed -gt $budget) {
                    $truncated = $true
                    Write-SlaWatchLog -Level Warning -Message "folder '$($Folder.Path)': time budget of $($Folder.TimeBudgetSeconds) s used up; report truncated"
                    break
                }
                $attributes = $entry.Attributes
                if ((-not $includeHidden) -and (($attributes -band $hiddenOrSystem) -ne 0)) { continue }

                if (($attributes -band $directoryFlag) -ne 0) {
                    if (-not $recurse) { continue }
                    if (($attributes -band $reparseFlag) -ne 0) {
                        Write-SlaWatchLog -Level Info -Message "folder '$($Folder.Path)': not following reparse point '$($current.Relative)$($entry.Name)'"
                        continue
                    }
                    $pending.Push(@{ Directory = $entry; Relative = $current.Relative + $entry.Name + $separator })
                    continue
                }

                if ((($attributes -band $reparseFlag) -ne 0) -and ($entry.LinkType -eq 'SymbolicLink')) { continue }

                $name = $entry.Name
                $matched = $false
                foreach ($pattern in $includePatterns) {
                    if ($pattern.IsMatch($name)) { $matched = $true; break }
                }
                if (-not $matched) { continue }
                $excluded = $false
                foreach ($pattern in $excludePatterns) {
                    if ($pattern.IsMatch($name)) { $excluded = $true; break }
                }
                if ($excluded) { continue }

                # Times and length come with the directory listing on Windows (no extra round trip).
                $created = $entry.CreationTimeUtc
                $written = $entry.LastWriteTimeUtc
                if ($null -ne $script:UnixStatFields) {
                    $unix = Get-SlaWatchUnixStat -Entry $entry
                    if (-not $unix.IsRegular) { continue }  # a FIFO, socket or device is not a file that arrived
                    $created = $unix.ChangeTimeUtc
                }
                # A file moved to the archive between listing and reading reports 1601-01-01 on some platforms.
                if ($written.Year -le 1601) { continue }

                if ($fileCount -ge $maxFiles) {
                    $truncated = $true
                    Write-SlaWatchLog -Level Warning -Message "folder '$($Folder.Path)': file cap of $maxFiles reached; report truncated"
                    break
                }
                $fileCount++

                if ($basisKind -eq 'creation') { $basis = $created }
                elseif ($basisKind -eq 'lastWrite') { $basis = $written }
                elseif ($written -gt $created) { $basis = $written }
                else { $basis = $created }

                # The oldest file seen, breaching or not (ties: ordinal name), for the folder's outcome.
                $relativeName = $current.Relative + $name
                if (($basis -lt $oldest) -or (($basis -eq $oldest) -and ([string]::CompareOrdinal($relativeName, $oldestName) -lt 0))) {
                    $oldest = $basis
                    $oldestName = $relativeName
                }

                if (($AsOfUtc - $basis) -gt $sla) {
                    $breaches.Add([pscustomobject]@{
                            Name      = $current.Relative + $name
                            Basis     = $basis
                            LastWrite = $written
                            Length    = [long]$entry.Length
                        })
                }
            }
        }
        catch {
            $exception = $_.Exception
            while ($null -ne $exception.InnerException) { $exception = $exception.InnerException }
            if ($current.Relative -eq '') {
                if (($exception -is [System.UnauthorizedAccessException]) -or ($exception -is [System.Security.SecurityException])) { $status = 'unreadable' }
                elseif (($exception -is [System.IO.DirectoryNotFoundException]) -or ($exception -is [System.IO.FileNotFoundException])) { $status = 'missing' }
                elseif (-not $root.Exists) { $status = 'missing' }
                else { $status = 'unreadable' }
                Write-SlaWatchLog -Level Warning -Message "folder '$($Folder.Path)': $status ($($exception.Message))"
            }
            else {
                $skippedDirectories++
                Write-SlaWatchLog -Level Warning -Message "folder '$($Folder.Path)': skipped subfolder '$($current.Relative.TrimEnd($separator))' ($($exception.Message))"
            }
        }
    }

    # Oldest age-basis time first, then ordinal by relative name: the same order as the Python scanner.
    $breaches.Sort([System.Comparison[object]] {
            param($left, $right)
            $order = $left.Basis.CompareTo($right.Basis)
            if ($order -eq 0) { $order = [string]::CompareOrdinal($left.Name, $right.Name) }
            $order
        })

    $files = New-Object -TypeName 'System.Collections.Generic.List[object]'
    foreach ($breach in $breaches) {
        $files.Add([ordered]@{
                filename      = $breach.Name
                creationDate  = $breach.Basis.ToString($script:DateFormat, $script:Invariant)
                lastWriteDate = $breach.LastWrite.ToString($script:DateFormat, $script:Invariant)
                sizeBytes     = $breach.Length
            })
    }
    $stopwatch.Stop()

    $entryObject = [ordered]@{
        folder    = $Folder.Path
        sla       = [int]$Folder.SlaMinutes
        status    = $status
        ageBasis  = $Folder.AgeBasis
        fileCount = [int]$fileCount
        truncated = [bool]$truncated
    }
    if ($skippedDirectories -gt 0) { $entryObject.unreadableSubfolders = [int]$skippedDirectories }
    $entryObject.files = $files.ToArray()

    # The folder's entry in the report's "folders" list: every watched folder's outcome, clean ones included.
    # "partial": subfolders could not be listed, so the folder is never reported plain "ok" with holes in it.
    $outcomeStatus = $status
    if (($status -eq 'ok') -and ($skippedDirectories -gt 0)) { $outcomeStatus = 'partial' }
    $outcome = [ordered]@{
        folder    = $Folder.Path
        sla       = [int]$Folder.SlaMinutes
        status    = $outcomeStatus
        ageBasis  = $Folder.AgeBasis
        filesSeen = [int]$fileCount
        pastSla   = [int]$files.Count
    }
    if ($null -ne $oldestName) {
        $outcome.oldestFile = $oldestName
        $outcome.oldestAgeSeconds = [long][Math]::Max(0, [Math]::Floor(($AsOfUtc - $oldest).TotalSeconds))
    }
    $outcome.unreadableSubfolders = [int]$skippedDirectories
    $outcome.truncated = [bool]$truncated
    Write-SlaWatchLog -Level Info -Message ("folder '{0}': status={1} files={2} breaches={3} truncated={4} skippedSubfolders={5} durationMs={6}" -f `
            $Folder.Path, $status, $fileCount, $files.Count, $truncated.ToString().ToLowerInvariant(), $skippedDirectories, $stopwatch.ElapsedMilliseconds)

    @{
        Entry              = $entryObject
        Outcome            = $outcome
        Included           = ($files.Count -gt 0) -or ($status -ne 'ok') -or $truncated
        BreachCount        = $files.Count
        SkippedDirectories = $skippedDirectories
        DurationMs         = $stopwatch.ElapsedMilliseconds
    }
}

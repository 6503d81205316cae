package bench

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// memSampler follows the processes a CLI starts whose executable is named exe (the provider
// plugin), and keeps the largest VmHWM (peak resident set, which the kernel keeps as a high-water
// mark, so sampling only has to catch each process once before it exits) seen of any of them.
type memSampler struct {
	root  int
	exe   string
	every time.Duration

	ticks int
	mu    sync.Mutex
	peak  int64        // kB
	procs map[int]bool // provider processes seen; false once gone
	stop  chan struct{}
	done  chan struct{}
}

func startMemSampler(rootPID int, exe string, every time.Duration) *memSampler {
	m := &memSampler{root: rootPID, exe: exe, every: every, procs: map[int]bool{},
		stop: make(chan struct{}), done: make(chan struct{})}
	go m.loop()
	return m
}

func (m *memSampler) loop() {
	defer close(m.done)
	t := time.NewTicker(m.every)
	defer t.Stop()
	for {
		m.sample()
		select {
		case <-m.stop:
			return
		case <-t.C:
		}
	}
}

// Stop ends sampling and returns the peak in bytes and how many provider processes were seen.
func (m *memSampler) Stop() (peakBytes int64, processes int) {
	close(m.stop)
	<-m.done
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.peak * 1024, len(m.procs)
}

// sample reads the high-water mark of every provider process seen so far, and every fifth time
// (or when none is known) looks for new ones, which costs a walk of /proc.
func (m *memSampler) sample() {
	m.ticks++
	m.mu.Lock()
	known := make([]int, 0, len(m.procs))
	for pid, alive := range m.procs {
		if alive {
			known = append(known, pid)
		}
	}
	m.mu.Unlock()
	for _, pid := range known {
		m.read(pid)
	}
	if len(known) > 0 && m.ticks%5 != 0 {
		return
	}
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return
	}
	parent := map[int]int{}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if pp, ok := readPPid(pid); ok {
			parent[pid] = pp
		}
	}
	for pid := range parent {
		if !descends(pid, m.root, parent) {
			continue
		}
		m.mu.Lock()
		_, seen := m.procs[pid]
		m.mu.Unlock()
		if seen {
			continue
		}
		link, err := os.Readlink("/proc/" + strconv.Itoa(pid) + "/exe")
		if err != nil || filepath.Base(strings.TrimSuffix(link, " (deleted)")) != m.exe {
			continue
		}
		m.read(pid)
	}
}

// read records one process's VmHWM; a process that is gone is not read again.
func (m *memSampler) read(pid int) {
	kb, ok := readStatusKB(pid, "VmHWM:")
	m.mu.Lock()
	defer m.mu.Unlock()
	m.procs[pid] = ok
	if ok {
		m.peak = max(m.peak, kb)
	}
}

func descends(pid, root int, parent map[int]int) bool {
	for i := 0; i < 64 && pid > 1; i++ {
		pp, ok := parent[pid]
		if !ok {
			return false
		}
		if pp == root {
			return true
		}
		pid = pp
	}
	return false
}

// readPPid reads the parent pid from /proc/<pid>/stat (the field after the state, which follows
// the command name in parentheses; the name itself may hold spaces and parentheses).
func readPPid(pid int) (int, bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, false
	}
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, false
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 2 {
		return 0, false
	}
	pp, err := strconv.Atoi(f[1])
	return pp, err == nil
}

func readStatusKB(pid int, key string) (int64, bool) {
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, key) {
			continue
		}
		fields := strings.Fields(strings.TrimPrefix(line, key))
		if len(fields) == 0 {
			return 0, false
		}
		v, err := strconv.ParseInt(fields[0], 10, 64)
		return v, err == nil
	}
	return 0, false
}

'use strict';
// The page of the reactive-ice WebFlux sample. Signalling messages are described in BrowserPeer.java.
// Everything the page observes is also kept in window.reactiveIceSample, for people and for tests.

const $ = id => document.getElementById(id);

const sample = window.reactiveIceSample = {
  history: [],        // every state change of the RTCPeerConnection: {t, ice, connection}
  rtt: [],            // {t, ms, responses}: the selected pair's currentRoundTripTime, once a second
  selected: null,     // the browser's selected pair, from getStats()
  service: {modes: [], agent: null, state: null, states: [], candidates: [], selected: null, selections: 0, dtls: 0,
    stats: null,      // the service's latest IceSession.stats() snapshot (ServiceView.java), once a second
    snapshots: 0,     // how many arrived
    failure: null},   // why the service's session failed, when it did: {code, reason, pairs: [{pair, cause}]}
  // The selected pair counted at both ends, read together: the service's snapshot as it arrives and the
  // browser's getStats() right after it: {service, browser, browserSelected, gapMs}
  agreement: null,
  candidates: [],     // the browser's own candidates, as it trickled them
  errors: [],
  offers: 0,          // offers this page made
  answers: 0,         // answers this page made
  serviceRestarts: [],  // {t, reason, ufrag}: ICE restarts the service made on its own (RecoveryPolicy.RESTART)
  recoveries: [],     // {t, ms, pair}: the browser connected again after such a restart, ms after it
  pc: null            // the RTCPeerConnection, for a look from the console
};

let ws = null;
let pc = null;
let mode = 'full';
let work = Promise.resolve();   // the page handles one signalling message at a time, in order
let recovering = null;          // {t, ufrag, remote} from the service's own restart until a pair of its new ufrag is selected
let shownPair = null;           // the selected pair last logged
let fastStats = null;           // while recovering, getStats is read every 100 ms rather than every second

function log(text) {
  const item = document.createElement('li');
  item.textContent = `${(performance.now() / 1000).toFixed(1)} s  ${text}`;
  $('log').prepend(item);
}

function fail(error) {
  sample.errors.push(String(error));
  log(`error: ${error}`);
}

function show(id, text, cssClass) {
  $(id).textContent = text;
  $(id).className = cssClass || '';
}

function signal(message) {
  ws.send(JSON.stringify(message));
}

function record() {
  const entry = {t: performance.now(), ice: pc.iceConnectionState, connection: pc.connectionState};
  const last = sample.history[sample.history.length - 1];
  if (!last || last.ice !== entry.ice || last.connection !== entry.connection) {
    sample.history.push(entry);
    log(`browser: ICE ${entry.ice}, connection ${entry.connection}`);
  }
  show('ice-state', entry.ice, entry.ice);
  show('connection-state', entry.connection, entry.connection);
}

function connect() {
  mode = $('mode').value;
  const offerer = $('offerer').value;
  $('connect').disabled = $('mode').disabled = $('offerer').disabled = true;
  ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/signalling`);
  ws.onmessage = event => {
    const message = JSON.parse(event.data);
    work = work.then(() => onMessage(message)).catch(fail);
  };
  ws.onclose = () => log('signalling closed');
  ws.onopen = () => {
    // No ICE servers: the browser offers its host candidates only, like the service.
    pc = sample.pc = new RTCPeerConnection();
    pc.createDataChannel('sample');
    pc.onicecandidate = event => {
      if (event.candidate) {
        sample.candidates.push(event.candidate.candidate);
      }
      signal({type: 'candidate', candidate: event.candidate
          ? event.candidate.toJSON() : {candidate: '', sdpMid: '0', sdpMLineIndex: 0}});
    };
    pc.oniceconnectionstatechange = record;
    pc.onconnectionstatechange = record;
    record();
    setInterval(() => stats().catch(fail), 1000);
    $('restart').disabled = $('close').disabled = false;
    if (offerer === 'browser') {
      work = work.then(offer).catch(fail);
    } else {
      signal({type: 'call', mode});
    }
  };
}

async function offer() {
  await pc.setLocalDescription();
  sample.offers++;
  signal({type: 'offer', mode, sdp: pc.localDescription.sdp});
}

// What the service says when its agent restarted ICE on its own (BrowserPeer: reason network-change or path-lost).
function serviceRestarted(m, next) {
  const why = m.reason === 'network-change' ? 'after a network change (one of its addresses went away)'
      : 'after losing its path to the browser';
  const ufrag = m.ufrag || ufragOf(m.sdp);
  sample.serviceRestarts.push({t: performance.now(), reason: m.reason, ufrag});
  const previous = sample.selected && sample.selected.remote;
  recovering = {t: performance.now(), ufrag, remote: previous ? `${previous.address}:${previous.port}` : null};
  if (!fastStats) {
    fastStats = setInterval(() => stats(false).catch(fail), 100);
  }
  log(`the service restarted ICE ${why}, new ufrag ${ufrag}: ${next}`);
}

function ufragOf(sdp) {
  const line = (sdp || '').split(/\r?\n/).find(l => l.startsWith('a=ice-ufrag:'));
  return line ? line.substring('a=ice-ufrag:'.length) : '?';
}

async function onMessage(m) {
  switch (m.type) {
    case 'hello':
      sample.service.modes = m.modes;
      for (const option of $('mode').options) {
        option.disabled = !m.modes.includes(option.value);
      }
      break;
    case 'offer':
      if (m.reason) {
        serviceRestarted(m, 'answering its new offer');
      }
      await pc.setRemoteDescription({type: 'offer', sdp: m.sdp});
      await pc.setLocalDescription();
      sample.answers++;
      signal({type: 'answer', sdp: pc.localDescription.sdp});
      break;
    case 'answer':
      await pc.setRemoteDescription({type: 'answer', sdp: m.sdp});
      break;
    case 'candidate':
      await pc.addIceCandidate(m.candidate);
      if (m.candidate.candidate) {
        sample.service.candidates.push(m.candidate.candidate);
        log(`service candidate: ${m.candidate.candidate}`);
      }
      break;
    case 'restart':
      if (m.reason) {
        serviceRestarted(m, 'restarting ICE from the page with a new offer');
      } else {
        log('the service asks for an ICE restart');
      }
      pc.restartIce();
      await offer();
      break;
    case 'agent':
      sample.service.agent = m;
      show('service-agent', `${m.mode}, ${m.role}, ufrag ${m.ufrag}`);
      break;
    case 'state':
      sample.service.state = m.state;
      sample.service.states.push({t: performance.now(), state: m.state});
      show('service-state', m.state, m.state);
      log(`service: ICE ${m.state}`);
      break;
    case 'selected':
      sample.service.selected = m;
      sample.service.selections++;
      show('service-pair', m.pair);
      log(`service: selected pair ${m.pair}`);
      break;
    case 'datagrams':
      sample.service.dtls = m.dtls;
      break;
    case 'stats':
      serviceStats(m);
      break;
    case 'failed':   // ServiceView.failed: the IceFailureReason's code and message, each failed pair's cause
      sample.service.failure = m;
      show('failure', `${m.code}: ${m.reason}`, 'failed');
      log(`service: ICE failed, ${m.code}: ${m.reason}`);
      m.pairs.forEach(p => log(`service: pair ${p.pair} failed: ${p.cause}`));
      break;
    case 'error':
      fail(`service: ${m.message}`);
      break;
    default:
      log(`unknown message ${m.type}`);
  }
}

// Reads the selected pair from getStats; with sampleRtt, also adds a point to the chart (once a second).
async function stats(sampleRtt = true) {
  const report = await pc.getStats();
  let pair = null;
  report.forEach(s => {
    if (s.type === 'transport' && s.selectedCandidatePairId) {
      pair = report.get(s.selectedCandidatePairId);
    }
  });
  if (!pair) {
    report.forEach(s => {
      if (!pair && s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded') {
        pair = s;
      }
    });
  }
  if (!pair) {
    return;
  }
  const local = report.get(pair.localCandidateId);
  const remote = report.get(pair.remoteCandidateId);
  sample.selected = {
    local: {type: local.candidateType, address: local.address, port: local.port},
    remote: {type: remote.candidateType, address: remote.address, port: remote.port},
    requestsSent: pair.requestsSent, responsesReceived: pair.responsesReceived,
    requestsReceived: pair.requestsReceived, responsesSent: pair.responsesSent
  };
  const shown = `${local.candidateType} ${local.address}:${local.port} ⇄ `
      + `${remote.candidateType} ${remote.address}:${remote.port}`;
  show('selected-pair', shown);
  if (shown !== shownPair) {
    shownPair = shown;
    log(`browser: selected pair ${shown} (ICE ${pc.iceConnectionState})`);
  }
  const connected = pc.iceConnectionState === 'connected' || pc.iceConnectionState === 'completed';
  // A pair of the service's new generation: its remote candidate has the new ufrag, where getStats says
  // (Chromium does); else at least another address or port than before the restart.
  const renegotiated = recovering && (remote.usernameFragment ? remote.usernameFragment === recovering.ufrag
      : `${remote.address}:${remote.port}` !== recovering.remote);
  if (renegotiated && connected) {
    const ms = Math.round(performance.now() - recovering.t);
    sample.recoveries.push({t: performance.now(), ms, pair: sample.selected});
    log(`browser: ICE ${pc.iceConnectionState} again after the service's restart, over ${shown}, `
        + `${ms} ms after it`);
    recovering = null;
    clearInterval(fastStats);
    fastStats = null;
  }
  if (sampleRtt && pair.currentRoundTripTime !== undefined) {
    const ms = pair.currentRoundTripTime * 1000;
    sample.rtt.push({t: performance.now(), ms, responses: pair.responsesReceived});
    show('rtt', `${ms.toFixed(1)} ms (${pair.responsesReceived} responses)`);
    draw();
  }
}

// The service's snapshot: its pair table, then the same pair in the browser's getStats(), read at once
// (not in the signalling queue, so that nothing waits between the two).
function serviceStats(m) {
  sample.service.stats = m;
  sample.service.snapshots++;
  const n = (count, what) => `${count} ${what}${count === 1 ? '' : 's'}`;
  show('stats-summary', `${m.role}, ICE ${m.iceState}, ${n(m.candidatePairs.length, 'pair')}, `
      + `selected pair changes: ${m.selectedCandidatePairChanges}`);
  const rows = m.candidatePairs.map(p => {
    const row = document.createElement('tr');
    row.className = p.selected ? 'selected' : '';
    const pair = document.createElement('td');
    pair.className = 'address';
    for (const [c, field] of [[p.local, 'local'], [p.remote, 'remote']]) {
      const line = document.createElement('div');
      line.textContent = `${field === 'remote' ? '⇄ ' : ''}${endpoint(c)}`;
      line.dataset.field = field;
      pair.append(line);
    }
    row.append(pair);
    const cells = [[p.state, 'state'],
      [p.nominated ? 'yes' : 'no', 'nominated'], [`${(p.currentRoundTripTime * 1000).toFixed(1)} ms`, 'rtt'],
      [`${p.requestsSent} / ${p.requestsReceived}`, 'requests'], [`${p.responsesSent} / ${p.responsesReceived}`, 'responses'],
      [`${p.consentRequestsSent}`, 'consent'], [`${p.packetsSent} / ${p.packetsReceived}`, 'packets'],
      [`${p.bytesSent} / ${p.bytesReceived}`, 'bytes']];
    for (const [text, field] of cells) {
      const cell = document.createElement('td');
      cell.textContent = text;
      cell.dataset.field = field;
      row.append(cell);
    }
    return row;
  });
  document.querySelector('#pairs tbody').replaceChildren(...rows);
  const selected = m.candidatePairs.find(p => p.selected);
  if (selected && pc) {
    bothEnds(m, selected, performance.now()).catch(fail);
  }
}

function endpoint(c) {
  return c.address === undefined ? c.id : `${c.candidateType} ${c.address}:${c.port} ${c.protocol}`;
}

// The browser's pair of the service's selected pair: its local candidate is the service's remote, and
// its remote candidate's port the service's local one.
async function bothEnds(m, ours, arrived) {
  const report = await pc.getStats();
  let theirs = null;
  let selectedId = null;
  report.forEach(s => {
    if (s.type === 'transport' && s.selectedCandidatePairId) {
      selectedId = s.selectedCandidatePairId;
    }
    if (s.type === 'candidate-pair') {
      const local = report.get(s.localCandidateId);
      const remote = report.get(s.remoteCandidateId);
      if (local && remote && local.address === ours.remote.address && local.port === ours.remote.port
          && remote.port === ours.local.port && (!remote.address || remote.address === ours.local.address)) {
        theirs = s;
      }
    }
  });
  if (!theirs) {
    return;
  }
  const counts = ({requestsSent, requestsReceived, responsesSent, responsesReceived}) =>
      ({requestsSent, requestsReceived, responsesSent, responsesReceived});
  sample.agreement = {
    service: {...counts(ours), consentRequestsSent: ours.consentRequestsSent,
      retransmissionsSent: ours.retransmissionsSent},
    browser: counts(theirs),
    browserSelected: theirs.id === selectedId,
    serviceTimestamp: m.timestamp,    // the service's clock, ms
    browserTimestamp: theirs.timestamp,
    pageMs: performance.now() - arrived   // from the service's snapshot arriving to the browser's being read
  };
  const row = (id, c) => $(id).querySelectorAll('td').forEach((cell, i) => {
    cell.textContent = [c.requestsSent, c.requestsReceived, c.responsesSent, c.responsesReceived][i];
  });
  row('agreement-service', {...ours,
    requestsSent: `${ours.requestsSent} + ${ours.consentRequestsSent} consent + ${ours.retransmissionsSent} again`});
  row('agreement-browser', theirs);
}

function draw() {
  const canvas = $('rtt-chart');
  const g = canvas.getContext('2d');
  const points = sample.rtt.slice(-120);
  const w = canvas.width, h = canvas.height, left = 48, bottom = 20;
  const top = Math.max(1, ...points.map(p => p.ms)) * 1.2;
  g.clearRect(0, 0, w, h);
  g.strokeStyle = '#999';
  g.fillStyle = '#666';
  g.font = '11px sans-serif';
  g.beginPath();
  g.moveTo(left, 0);
  g.lineTo(left, h - bottom);
  g.lineTo(w, h - bottom);
  g.stroke();
  g.fillText(`${top.toFixed(1)} ms`, 2, 12);
  g.fillText('0 ms', 2, h - bottom);
  g.fillText(`last ${points.length} s`, w - 70, h - 4);
  g.strokeStyle = '#1a5fb4';
  g.lineWidth = 2;
  g.beginPath();
  points.forEach((p, i) => {
    const x = left + (w - left) * (points.length < 2 ? 1 : i / (points.length - 1));
    const y = (h - bottom) * (1 - p.ms / top);
    if (i === 0) {
      g.moveTo(x, y);
    } else {
      g.lineTo(x, y);
    }
  });
  g.stroke();
}

$('connect').addEventListener('click', connect);
$('restart').addEventListener('click', () => signal({type: 'restart'}));
$('close').addEventListener('click', () => signal({type: 'close'}));

// A Leaflet map showing one point, optionally picking it: clicking the map writes the coordinates
// into two form inputs (by id) and typing in those inputs moves the marker. Everything happens in
// the browser, so the form keeps its plain inputs and submits them as usual. The marker is a vector
// circle (no marker images to bundle), and the map works without tiles (offline, tests).
import { useEffect, useState } from "react";
import { CircleMarker, MapContainer, TileLayer, useMap, useMapEvents } from "react-leaflet";
import "leaflet/dist/leaflet.css";

const WORLD = [0, 0];
const WORLD_ZOOM = 2;
const POINT_ZOOM = 15;

function parse(value) {
  const text = String(value ?? "").trim().replace(",", ".");
  if (text === "") return null;
  const number = Number(text);
  return Number.isFinite(number) ? number : null;
}

function pointOf(latitude, longitude) {
  const lat = parse(latitude);
  const lng = parse(longitude);
  if (lat === null || lng === null || Math.abs(lat) > 90 || Math.abs(lng) > 180) return null;
  return [lat, lng];
}

// Six decimals are about 10 cm: as precise as a click can be.
function round(value) {
  return Math.round(value * 1e6) / 1e6;
}

function setInputValue(id, value) {
  const input = document.getElementById(id);
  if (!input) return;
  // The native setter plus an input event: React and our own listeners see the change.
  const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value").set;
  setter.call(input, String(value));
  input.dispatchEvent(new Event("input", { bubbles: true }));
}

function ClickToPick({ onPick }) {
  useMapEvents({
    click(event) {
      const wrapped = event.latlng.wrap();
      onPick(round(wrapped.lat), round(wrapped.lng));
    },
  });
  return null;
}

function FollowPoint({ point }) {
  const map = useMap();
  useEffect(() => {
    // Maps opened inside dialogs are measured before their final size: measure again.
    const timer = setTimeout(() => map.invalidateSize(), 250);
    return () => clearTimeout(timer);
  }, [map]);
  const lat = point ? point[0] : null;
  const lng = point ? point[1] : null;
  useEffect(() => {
    if (lat !== null && lng !== null) map.setView([lat, lng], Math.max(map.getZoom(), POINT_ZOOM));
  }, [map, lat, lng]);
  return null;
}

export function LocationMap({
  latitude,
  longitude,
  tileUrl,
  attribution,
  latitudeInputId,
  longitudeInputId,
  height = "16rem",
  ariaLabel,
  id,
}) {
  const picker = Boolean(latitudeInputId && longitudeInputId);
  const [point, setPoint] = useState(() => pointOf(latitude, longitude));

  useEffect(() => {
    if (!picker) setPoint(pointOf(latitude, longitude));
  }, [picker, latitude, longitude]);

  useEffect(() => {
    if (!picker) return undefined;
    const inputs = [latitudeInputId, longitudeInputId].map((name) => document.getElementById(name));
    if (inputs.some((input) => !input)) return undefined;
    const sync = () => setPoint(pointOf(inputs[0].value, inputs[1].value));
    sync();
    inputs.forEach((input) => input.addEventListener("input", sync));
    return () => inputs.forEach((input) => input.removeEventListener("input", sync));
  }, [picker, latitudeInputId, longitudeInputId]);

  const pick = (lat, lng) => {
    setInputValue(latitudeInputId, lat);
    setInputValue(longitudeInputId, lng);
    setPoint([lat, lng]);
  };

  return (
    <div id={id} role="region" aria-label={ariaLabel} data-point={point ? point.join(",") : ""}
         style={{ width: "100%" }}>
      <MapContainer
        center={point ?? WORLD}
        zoom={point ? POINT_ZOOM : WORLD_ZOOM}
        scrollWheelZoom={false}
        style={{ height, width: "100%", borderRadius: "var(--radius-3)", cursor: picker ? "crosshair" : "" }}
      >
        <TileLayer url={tileUrl} attribution={attribution} />
        {point && <CircleMarker center={point} radius={9} pathOptions={{ color: "#0d74ce", weight: 3 }} />}
        {picker && <ClickToPick onPick={pick} />}
        <FollowPoint point={point} />
      </MapContainer>
    </div>
  );
}
